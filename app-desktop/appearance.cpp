// Appearance: the theme choice per profile, the light and dark palettes, and the readable
// colours (contrast-checked by tst_desktop_appearance) of ticks and group member names.
#include "appearance.h"
#include "portal_color_scheme.h"

#include <QGuiApplication>

#include <array>
#include <cmath>

namespace natter::desktop {

namespace {

QString settingsKey(const QString& profile) { return QStringLiteral("profiles/%1/theme").arg(profile); }
QString textScaleKey(const QString& profile) { return QStringLiteral("profiles/%1/textScale").arg(profile); }

bool isChoice(const QString& choice) {
    return choice == QLatin1String("system") || choice == QLatin1String("light") || choice == QLatin1String("dark");
}

QPalette themePalette(bool dark) {
    const QColor window = dark ? QColor(0x111b21) : QColor(0xf0f2f5);
    const QColor base = dark ? QColor(0x1b262d) : QColor(0xffffff);
    const QColor text = dark ? QColor(0xe9edef) : QColor(0x111b21);
    const QColor button = dark ? QColor(0x2a3942) : QColor(0xf7f8fa);
    QPalette p(button, window);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, dark ? QColor(0x202c33) : QColor(0xf5f6f6));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, dark ? QColor(0x8696a0) : QColor(0x667781));
    p.setColor(QPalette::Highlight, dark ? QColor(0x2fa37c) : QColor(0x1a7f5c));
    p.setColor(QPalette::HighlightedText, QColor(0xffffff));
    p.setColor(QPalette::Link, dark ? QColor(0x53bdeb) : QColor(0x027eb5));
    p.setColor(QPalette::BrightText, QColor(0xffffff));
    p.setColor(QPalette::Disabled, QPalette::Text, dark ? QColor(0x6b7b85) : QColor(0x9aa5ab));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, dark ? QColor(0x6b7b85) : QColor(0x9aa5ab));
    p.setColor(QPalette::Disabled, QPalette::WindowText, dark ? QColor(0x6b7b85) : QColor(0x9aa5ab));
    return p;
}

// Name colours: one hue family per entry, a dark shade for light bubbles, a light one for dark.
constexpr std::array<std::pair<QRgb, QRgb>, 8> kMemberColours{{
    {0xb3261e, 0xff8a80}, {0xa24d00, 0xffb74d}, {0x7a6000, 0xe6c84f}, {0x2e7d32, 0x81c784},
    {0x00796b, 0x4dd0c4}, {0x1565c0, 0x82b1ff}, {0x6a1b9a, 0xce93d8}, {0xad1457, 0xf48fb1},
}};

} // namespace

double relativeLuminance(const QColor& colour) {
    const auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    const QColor rgb = colour.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

double contrastRatio(const QColor& a, const QColor& b) {
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

Appearance::Appearance(QString profile, QObject* parent)
    : QObject(parent), m_profile(std::move(profile)), m_systemPalette(QGuiApplication::palette()) {
    m_systemPrefersDark = m_systemPalette.color(QPalette::Window).lightnessF() < 0.5;
    const QString saved = m_settings.value(settingsKey(m_profile)).toString();
    if (isChoice(saved)) m_choice = saved;
    m_textScale = savedTextScale(m_settings, m_profile);
    apply();
    QGuiApplication::instance()->installEventFilter(this);
}

Appearance::~Appearance() {
    if (!m_overridden) return;
    m_applying = true;
    QGuiApplication::setPalette(m_systemPalette);
}

bool Appearance::eventFilter(QObject* watched, QEvent* event) {
    if (watched == QGuiApplication::instance() && event->type() == QEvent::ApplicationPaletteChange && !m_applying) {
        m_systemPalette = QGuiApplication::palette();
        m_systemPrefersDark = m_systemPalette.color(QPalette::Window).lightnessF() < 0.5;
        m_overridden = false;
        if (m_choice != QLatin1String("system")) apply();
        emit changed();
    }
    return QObject::eventFilter(watched, event);
}

QList<int> Appearance::textScales() { return {100, 125, 150, 175}; }

int Appearance::savedTextScale(const QSettings& settings, const QString& profile) {
    const int saved = settings.value(textScaleKey(profile), 100).toInt();
    return textScales().contains(saved) ? saved : 100;
}

void Appearance::setTextScale(int percent) {
    if (!textScales().contains(percent)) {
        qWarning("natter-desktop: unknown text size %d%% (100, 125, 150 or 175)", percent);
        return;
    }
    if (percent == m_textScale) return;
    m_textScale = percent;
    m_settings.setValue(textScaleKey(m_profile), percent);
    emit changed();
}

void Appearance::setChoice(const QString& choice) {
    if (!isChoice(choice)) {
        qWarning("natter-desktop: unknown theme '%s' (system, light or dark)", qPrintable(choice));
        return;
    }
    if (choice == m_choice) return;
    m_choice = choice;
    m_settings.setValue(settingsKey(m_profile), choice);
    apply();
    emit changed();
}

bool Appearance::dark() const {
    if (m_choice != QLatin1String("system")) return m_choice == QLatin1String("dark");
    if (m_desktopScheme == PortalColorScheme::NoPreference) return m_systemPrefersDark;
    return m_desktopScheme == PortalColorScheme::PreferDark;
}

QPalette Appearance::palette() const {
    // System: the desktop's palette, unless the portal prefers the other brightness than it has.
    if (m_choice == QLatin1String("system") && dark() == m_systemPrefersDark) return m_systemPalette;
    return themePalette(dark());
}

void Appearance::setDesktopScheme(int scheme) {
    if (scheme == m_desktopScheme) return;
    m_desktopScheme = scheme;
    if (m_choice != QLatin1String("system")) return;
    apply();
    emit changed();
}

void Appearance::apply() {
    // System at start: the desktop's palette is already the application's; leave it alone.
    if (m_choice == QLatin1String("system") && !m_overridden && dark() == m_systemPrefersDark) return;
    m_applying = true;
    QGuiApplication::setPalette(palette());
    m_applying = false;
    m_overridden = true;
}

QColor Appearance::bubbleOut(bool dark) { return dark ? QColor(0x005c4b) : QColor(0xd9fdd3); }
QColor Appearance::bubbleIn(bool dark) { return dark ? QColor(0x202c33) : QColor(0xffffff); }

QColor Appearance::tickColor(const QString& state, bool dark) {
    if (state == QLatin1String("read")) return dark ? QColor(0x8fdcff) : QColor(0x0a5fb4);
    if (state == QLatin1String("failed")) return dark ? QColor(0xffc1b8) : QColor(0xb3261e);
    return dark ? QColor(0xd1d7db) : QColor(0x54656f);
}

QColor Appearance::memberColor(qulonglong userId, bool dark) {
    // Fibonacci hashing: neighbouring ids (users registered one after another) differ.
    const auto slot = std::size_t(((userId * 11400714819323198485ull) >> 32) % kMemberColours.size());
    return QColor::fromRgb(dark ? kMemberColours[slot].second : kMemberColours[slot].first);
}

int Appearance::memberColorCount() { return int(kMemberColours.size()); }

} // namespace natter::desktop
