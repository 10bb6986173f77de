// The app's look: Light, Dark or System and the text size (saved per profile), the palette that
// choice gives the window and controls, and the colours that must stay readable (ticks, member
// names) in both.
#pragma once

#include <QColor>
#include <QObject>
#include <QPalette>
#include <QSettings>
#include <QString>

namespace natter::desktop {

// WCAG 2 relative luminance and contrast ratio (1..21); AA text needs 4.5.
double relativeLuminance(const QColor& colour);
double contrastRatio(const QColor& a, const QColor& b);

class Appearance : public QObject {
    Q_OBJECT
    // "system" (follow the desktop), "light" or "dark".
    Q_PROPERTY(QString choice READ choice WRITE setChoice NOTIFY changed)
    Q_PROPERTY(bool dark READ dark NOTIFY changed)
    Q_PROPERTY(QColor window READ window NOTIFY changed)
    Q_PROPERTY(QColor base READ base NOTIFY changed)
    Q_PROPERTY(QColor text READ text NOTIFY changed)
    Q_PROPERTY(QColor highlight READ highlight NOTIFY changed)
    Q_PROPERTY(QColor bubbleOut READ bubbleOut NOTIFY changed)
    Q_PROPERTY(QColor bubbleIn READ bubbleIn NOTIFY changed)
    // The text size in percent (textScales()); the whole UI scales by it from the next start.
    Q_PROPERTY(int textScale READ textScale WRITE setTextScale NOTIFY changed)
public:
    explicit Appearance(QString profile, QObject* parent = nullptr);
    // Gives the application back the desktop's palette.
    ~Appearance() override;

    QString choice() const { return m_choice; }
    int textScale() const { return m_textScale; }
    // Sizes other than textScales() are refused with a warning and change nothing.
    void setTextScale(int percent);
    static QList<int> textScales();
    // The profile's saved text size, read before the application exists: main.cpp turns it
    // into QT_SCALE_FACTOR, which scales every window, popup, font and icon alike.
    static int savedTextScale(const QSettings& settings, const QString& profile);
    // Unknown names are refused with a warning and change nothing.
    void setChoice(const QString& choice);
    bool dark() const;
    QColor window() const { return palette().color(QPalette::Window); }
    QColor base() const { return palette().color(QPalette::Base); }
    QColor text() const { return palette().color(QPalette::Text); }
    QColor highlight() const { return palette().color(QPalette::Highlight); }
    QColor bubbleOut() const { return bubbleOut(dark()); }
    QColor bubbleIn() const { return bubbleIn(dark()); }
    QPalette palette() const;
    // The desktop portal's color-scheme (PortalColorScheme::Scheme): System follows it over the palette.
    void setDesktopScheme(int scheme);

    // For QML, which passes Theme.dark so that its bindings follow a change of theme.
    Q_INVOKABLE QColor tickColorIn(const QString& state, bool dark) const { return tickColor(state, dark); }
    Q_INVOKABLE QColor memberColorIn(qulonglong userId, bool dark) const { return memberColor(userId, dark); }

    // Both themes, for checks: bubbles, ticks on the outgoing bubble, member names on the incoming one.
    static QColor bubbleOut(bool dark);
    static QColor bubbleIn(bool dark);
    static QColor tickColor(const QString& state, bool dark);
    static QColor memberColor(qulonglong userId, bool dark);
    static int memberColorCount();

signals:
    void changed();

protected:
    // The desktop's palette changed (ApplicationPaletteChange not caused by a choice): System follows it.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void apply();

    QString m_profile;
    QSettings m_settings;
    QString m_choice = QStringLiteral("system");
    int m_textScale = 100;
    QPalette m_systemPalette; // the desktop's palette, as it was before a choice overrode it
    bool m_systemPrefersDark = false;
    bool m_overridden = false; // the application palette was set by a choice
    bool m_applying = false;   // inside apply(): the palette change is ours
    int m_desktopScheme = 0;   // PortalColorScheme::Scheme
};

} // namespace natter::desktop
