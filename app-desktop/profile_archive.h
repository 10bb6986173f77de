// Settings → "Back up" and "Export chats": the profile's encrypted backup file and a readable
// export, written by the client core's own commands ("backup", "export" of CommandService), the
// ones `natter backup` and `natter export` run, so the app adds no second implementation.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

namespace natter::client { class Client; }
namespace natter::client::rpc { class CommandService; }

namespace natter::desktop {

class AppController;

class ProfileArchive : public QObject {
    Q_OBJECT
    // A backup or an export is being written (the dialogs wait, showing it).
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(int minPassphraseLength READ minPassphraseLength CONSTANT)
public:
    explicit ProfileArchive(AppController& controller, QObject* parent = nullptr);

    bool busy() const { return m_busy; }
    static int minPassphraseLength();

    // Writes the whole profile to `file` under a backup passphrase (typed twice); `natter
    // restore` brings it back on a new machine.
    Q_INVOKABLE void backup(const QUrl& file, const QString& passphrase, const QString& confirmation);
    // Writes every chat ("html" or "json"), files decrypted, into a new folder "Natter export
    // YYYY-MM-DD" (numbered when it exists) inside `folder`.
    Q_INVOKABLE void exportChats(const QUrl& folder, const QString& format);

signals:
    void busyChanged();
    // The sentence the user reads: what was written, and where.
    void finished(const QString& message);
    void failed(const QString& message);

private:
    // The client's command service, made with the client and gone with it.
    client::rpc::CommandService* commands();
    void setBusy(bool busy);

    AppController& m_controller;
    QPointer<client::rpc::CommandService> m_commands;
    bool m_busy = false;
};

} // namespace natter::desktop
