// natter-desktop at a glance, without a server: every text the QML shows is drawn by the UI's
// font and no icon is a font character; tick and member-name colours keep WCAG AA contrast in
// both themes; plural counts read "1 member", "4 members", "1 unread message"; the theme choice is kept per profile.
#include "appearance.h"
#include "formatting.h"
#include "icon_provider.h"
#include "plural_forms.h"
#include "portal_color_scheme.h"

#include <QDirIterator>
#include <QFile>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::desktop;

namespace {

const QStringList kStates{QStringLiteral("pending"), QStringLiteral("sent"), QStringLiteral("delivered"),
                          QStringLiteral("read"), QStringLiteral("failed")};

// The app's QML sources as compiled into the binary: file name → text.
QMap<QString, QString> qmlSources() {
    QMap<QString, QString> out;
    QDirIterator it(QStringLiteral(":/qml"), {QStringLiteral("*.qml")});
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly)) out.insert(it.fileName(), QString::fromUtf8(file.readAll()));
    }
    return out;
}

// The string literals of QML code (comments left out).
QStringList literalsOf(const QString& qml) {
    static const QRegularExpression comment(QStringLiteral("^\\s*//.*$"), QRegularExpression::MultilineOption);
    static const QRegularExpression literal(QStringLiteral("\"((?:[^\"\\\\\\n]|\\\\.)*)\""));
    QString code = qml;
    code.remove(comment);
    QStringList out;
    for (auto it = literal.globalMatch(code); it.hasNext();) out << it.next().captured(1);
    return out;
}

} // namespace

class TstDesktopAppearance : public QObject {
    Q_OBJECT
    QTemporaryDir m_config;

private slots:
    void initTestCase() {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("Natter"));
        QCoreApplication::setApplicationName(QStringLiteral("natter-desktop-appearance-test"));
    }

    // Every literal text of the QML (labels, buttons, placeholders) has a glyph in the font the
    // UI uses, and none is a symbol character standing in for an icon (ⓘ ✎ ⚙ ⚑ ✕ ⚠ ✓ ◷).
    void everyQmlTextIsDrawnByTheUiFontAndNoIconIsAGlyph() {
        const QMap<QString, QString> sources = qmlSources();
        QVERIFY2(sources.size() >= 20, "the QML is compiled into natter_desktop's resources");
        const QFontMetrics metrics(QGuiApplication::font());
        QStringList problems;
        for (auto file = sources.cbegin(); file != sources.cend(); ++file) {
            for (const QString& text : literalsOf(file.value())) {
                for (const char32_t ch : text.toUcs4()) {
                    const QString where = QStringLiteral("%1: \"%2\" U+%3").arg(file.key(), text).arg(uint(ch), 4, 16, QLatin1Char('0'));
                    if (QChar::category(ch) == QChar::Symbol_Other) problems << QStringLiteral("symbol used as an icon: ") + where;
                    else if (ch >= 0x20 && !metrics.inFontUcs4(ch)) problems << QStringLiteral("no glyph: ") + where;
                }
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    // Every icon the QML and the ticks name is in the one SVG set and renders in a colour.
    void everyNamedIconIsInTheSvgSet() {
        static const QRegularExpression named(QStringLiteral("(?:iconName|name): \"([a-z][a-z-]*)\""));
        static const QRegularExpression qrc(QStringLiteral("qrc:/icons/([a-z-]+)\\.svg"));
        QSet<QString> names;
        for (const QString& qml : qmlSources()) {
            for (auto it = named.globalMatch(qml); it.hasNext();) names << it.next().captured(1);
            for (auto it = qrc.globalMatch(qml); it.hasNext();) names << it.next().captured(1);
        }
        for (const QString& state : kStates) names << ticksFor(state).icon;
        QVERIFY(names.contains(QStringLiteral("info")) && names.contains(QStringLiteral("tick-double")));
        IconProvider icons;
        for (const QString& name : names) {
            QVERIFY2(QFile::exists(QStringLiteral(":/icons/%1.svg").arg(name)), qPrintable(name));
            QSize size;
            const QImage image = icons.requestImage(name + QStringLiteral("/0a5fb4"), &size, QSize(32, 32));
            QVERIFY2(!image.isNull() && size == QSize(32, 32), qPrintable(name));
            QSet<QRgb> opaque;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    if (qAlpha(image.pixel(x, y)) == 255) opaque << image.pixel(x, y);
            QVERIFY2(opaque == QSet<QRgb>{qRgb(0x0a, 0x5f, 0xb4)}, qPrintable(name)); // drawn, and only in the colour
        }
        QSize size;
        QVERIFY(icons.requestImage(QStringLiteral("../natter-desktop/000000"), &size, {}).isNull());
        QVERIFY(icons.requestImage(QStringLiteral("info/notacolour"), &size, {}).isNull());
    }

    void contrastRatioFollowsWcag() {
        QCOMPARE(qRound(contrastRatio(Qt::black, Qt::white) * 100), 2100);
        QCOMPARE(contrastRatio(QColor(0x336699), QColor(0x336699)), 1.0);
        // The read-tick blue of before on the outgoing bubble: about 2.1:1, unreadable.
        QVERIFY(contrastRatio(QColor(0x34b7f1), QColor(0xd9fdd3)) < 2.2);
    }

    // Ticks on the outgoing bubble reach 4.5:1 in both themes, and read differs from delivered.
    void ticksAreReadableOnTheOutgoingBubbleInBothThemes() {
        for (const bool dark : {false, true}) {
            for (const QString& state : kStates) {
                const double ratio = contrastRatio(Appearance::tickColor(state, dark), Appearance::bubbleOut(dark));
                QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("%1 %2: %3").arg(state).arg(dark).arg(ratio)));
            }
            QVERIFY(Appearance::tickColor(QStringLiteral("read"), dark) != Appearance::tickColor(QStringLiteral("delivered"), dark));
        }
        QCOMPARE(ticksFor(QStringLiteral("read")).description, QStringLiteral("Read"));
        QCOMPARE(ticksFor(QStringLiteral("delivered")).description, QStringLiteral("Delivered"));
        QCOMPARE(ticksFor(QStringLiteral("sent")).description, QStringLiteral("Sent"));
    }

    // Each member keeps one name colour, readable on the incoming bubble in both themes.
    void memberNameColoursAreStableAndReadableInBothThemes() {
        QSet<QRgb> used;
        for (qulonglong id = 1; id <= 500; ++id) {
            for (const bool dark : {false, true}) {
                const QColor colour = Appearance::memberColor(id, dark);
                QCOMPARE(Appearance::memberColor(id, dark), colour);
                const double ratio = contrastRatio(colour, Appearance::bubbleIn(dark));
                QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("member %1 dark=%2: %3").arg(id).arg(dark).arg(ratio)));
                used << colour.rgb();
            }
        }
        QCOMPARE(int(used.size()), 2 * Appearance::memberColorCount());
        QSet<QRgb> firstMembers;
        for (qulonglong id = 1; id <= 4; ++id) firstMembers << Appearance::memberColor(id, false).rgb();
        QVERIFY2(firstMembers.size() >= 3, "members who joined one after another mostly differ");
    }

    void memberCountsUseEnglishPluralForms() {
        PluralForms plurals;
        QCoreApplication::installTranslator(&plurals);
        QCOMPARE(QCoreApplication::translate("GroupInfoDialog", "%n members", nullptr, 1), QStringLiteral("1 member"));
        QCOMPARE(QCoreApplication::translate("GroupInfoDialog", "%n members", nullptr, 4), QStringLiteral("4 members"));
        QCOMPARE(QCoreApplication::translate("GroupInfoDialog", "%n members", nullptr, 0), QStringLiteral("0 members"));
        QCOMPARE(QCoreApplication::translate("GroupInfoDialog", "Leave group"), QStringLiteral("Leave group"));
        QCoreApplication::removeTranslator(&plurals);
    }

    // The divider above the first unread message: "1 unread message", "20 unread messages".
    void unreadCountsUseEnglishPluralForms() {
        PluralForms plurals;
        QCoreApplication::installTranslator(&plurals);
        QCOMPARE(QCoreApplication::translate("UnreadMarker", "%n unread messages", nullptr, 1), QStringLiteral("1 unread message"));
        QCOMPARE(QCoreApplication::translate("UnreadMarker", "%n unread messages", nullptr, 20), QStringLiteral("20 unread messages"));
        QCoreApplication::removeTranslator(&plurals);
    }

    // Light / Dark / System: the choice is saved for the profile and sets the palette.
    void themeChoiceIsKeptPerProfile() {
        const QPalette before = QGuiApplication::palette();
        {
            Appearance alice(QStringLiteral("alice"));
            QCOMPARE(alice.choice(), QStringLiteral("system"));
            alice.setChoice(QStringLiteral("dark"));
            QVERIFY(alice.dark());
            QVERIFY(QGuiApplication::palette().color(QPalette::Window).lightnessF() < 0.2);
            QVERIFY(contrastRatio(alice.text(), alice.window()) >= 4.5);
            alice.setChoice(QStringLiteral("purple"));
            QCOMPARE(alice.choice(), QStringLiteral("dark"));
        }
        Appearance again(QStringLiteral("alice"));
        QCOMPARE(again.choice(), QStringLiteral("dark"));
        QVERIFY(again.dark());
        Appearance bob(QStringLiteral("bob"));
        QCOMPARE(bob.choice(), QStringLiteral("system"));
        again.setChoice(QStringLiteral("light"));
        QVERIFY(!again.dark());
        QVERIFY(QGuiApplication::palette().color(QPalette::Window).lightnessF() > 0.8);
        QVERIFY(contrastRatio(again.text(), again.base()) >= 4.5);
        again.setChoice(QStringLiteral("system"));
        QCOMPARE(QGuiApplication::palette().color(QPalette::Window), before.color(QPalette::Window));
    }

    // System follows the desktop portal's color-scheme when it has one (Qt 6.4's palette does not).
    void systemFollowsTheDesktopsColourScheme() {
        const QColor before = QGuiApplication::palette().color(QPalette::Window);
        const bool desktopIsDark = before.lightnessF() < 0.5;
        Appearance system(QStringLiteral("carol"));
        QCOMPARE(system.choice(), QStringLiteral("system"));
        system.setDesktopScheme(desktopIsDark ? PortalColorScheme::PreferLight : PortalColorScheme::PreferDark);
        QCOMPARE(system.dark(), !desktopIsDark);
        QCOMPARE(QGuiApplication::palette().color(QPalette::Window).lightnessF() < 0.5, !desktopIsDark);
        system.setDesktopScheme(PortalColorScheme::NoPreference);
        QCOMPARE(system.dark(), desktopIsDark);
        QCOMPARE(QGuiApplication::palette().color(QPalette::Window), before);
        // A choice wins over the desktop.
        system.setChoice(QStringLiteral("light"));
        system.setDesktopScheme(PortalColorScheme::PreferDark);
        QVERIFY(!system.dark());
        system.setChoice(QStringLiteral("system"));
        QVERIFY(system.dark());
        system.setDesktopScheme(PortalColorScheme::NoPreference);
    }
};

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv); // the fonts and the palette the app would have
    TstDesktopAppearance test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_desktop_appearance.moc"
