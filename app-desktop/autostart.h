// "Start Natter when you log in" (Settings): an XDG autostart entry per profile in
// $XDG_CONFIG_HOME/autostart that starts natter-desktop minimised to the tray with that profile.
#pragma once

#include <QObject>
#include <QString>

namespace natter::desktop {

class Autostart : public QObject {
    Q_OBJECT
    // The entry exists (read again from disk whenever it is asked).
    Q_PROPERTY(bool enabled READ enabled WRITE setEnabled NOTIFY enabledChanged)
    // Why the last change failed (e.g. the directory is not writable); empty after a success.
    Q_PROPERTY(QString error READ error NOTIFY enabledChanged)
public:
    // `program`: the natter-desktop binary the entry starts (this one, by default).
    explicit Autostart(QString profile, QString program = {}, QObject* parent = nullptr);

    bool enabled() const;
    void setEnabled(bool on);
    QString error() const { return m_error; }
    // The entry may have changed on disk (Settings opens): bindings read it again.
    Q_INVOKABLE void refresh() { emit enabledChanged(); }
    // Where the profile's entry lives: org.natter.Natter.desktop for the default profile,
    // org.natter.Natter-PROFILE.desktop for the others.
    QString entryPath() const;
    // The entry's text: a desktop entry whose Exec starts `program` with --minimized and the profile.
    QString entryText() const;

signals:
    void enabledChanged();

private:
    QString m_profile;
    QString m_program;
    QString m_error;
};

} // namespace natter::desktop
