// What the desktop app shows and says: ticks, times, presence, typing, accessible names,
// onboarding checks, the command line, notification text, the QR image, and the links and large
// emoji of message text.
#include "formatting.h"
#include "image_providers.h"
#include "launch_options.h"
#include "message_text.h"
#include "tray_notifier.h"

#include <QApplication>
#include <QLocale>
#include <QTest>

using namespace natter::desktop;

class TstDesktopFormatting : public QObject {
    Q_OBJECT
    const QDateTime now{QDate(2025, 3, 14), QTime(18, 30)};

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom)); }

    void addressesAndNumbersBecomeLinksAndTheRestStaysText() {
        QCOMPARE(linkedText(QStringLiteral("no links here, <b>not bold</b>")), QString());
        QCOMPARE(linkedText(QStringLiteral("see https://example.org/a?b=1&c=2.")),
                 QStringLiteral("see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>."));
        QCOMPARE(linkedText(QStringLiteral("www.natter.example, then")),
                 QStringLiteral("<a href=\"https://www.natter.example\">www.natter.example</a>, then"));
        QCOMPARE(linkedText(QStringLiteral("call +15550001\nor <i>me</i>")),
                 QStringLiteral("call <a href=\"natter:+15550001\">+15550001</a><br>or &lt;i&gt;me&lt;/i&gt;"));
        // Markup around a link stays text; a quote cannot leave the href.
        QCOMPARE(linkedText(QStringLiteral("<script>x</script> http://a.example/\"onclick=")),
                 QStringLiteral("&lt;script&gt;x&lt;/script&gt; <a href=\"http://a.example/\">http://a.example/</a>&quot;onclick="));
        // Not numbers to call: too short, or part of a word or an address.
        QCOMPARE(linkedText(QStringLiteral("+12345 and a+15550001 and mail@+15550001")), QString());
    }

    void aFewEmojiAloneAreDrawnLarge() {
        QVERIFY(isEmojiOnly(QStringLiteral("👍")));
        QVERIFY(isEmojiOnly(QStringLiteral(" 😀 🎉 ")));
        QVERIFY(isEmojiOnly(QStringLiteral("👍🏽")));                  // skin tone
        QVERIFY(isEmojiOnly(QStringLiteral("👩‍👩‍👧")));                // one family, joined
        QVERIFY(isEmojiOnly(QStringLiteral("🇩🇪🇫🇷")));                 // two flags
        QVERIFY(isEmojiOnly(QStringLiteral("❤️")));                   // with a variation selector
        QVERIFY(!isEmojiOnly(QStringLiteral("😀😀😀😀")));             // four: a normal message
        QVERIFY(!isEmojiOnly(QStringLiteral("ok 👍")));
        QVERIFY(!isEmojiOnly(QString()));
        QVERIFY(!isEmojiOnly(QStringLiteral("   ")));
    }

    void ticks_data() {
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("icon");
        QTest::addColumn<bool>("blue");
        QTest::addColumn<QString>("spoken");
        QTest::newRow("pending") << "pending" << "tick-pending" << false << "sending";
        QTest::newRow("sent") << "sent" << "tick-sent" << false << "sent";
        QTest::newRow("delivered") << "delivered" << "tick-double" << false << "delivered";
        QTest::newRow("read") << "read" << "tick-double" << true << "read";
        QTest::newRow("failed") << "failed" << "tick-failed" << false << "not sent";
    }
    void ticks() {
        QFETCH(QString, state);
        QFETCH(QString, icon);
        QFETCH(bool, blue);
        QFETCH(QString, spoken);
        const Ticks t = ticksFor(state);
        QCOMPARE(t.icon, icon);
        QCOMPARE(t.read, blue);
        QCOMPARE(t.failed, state == QLatin1String("failed"));
        QCOMPARE(t.spoken, spoken);
    }

    void chatListTimes() {
        QCOMPARE(chatListTime(QDateTime(now.date(), QTime(9, 5)), now), QStringLiteral("09:05"));
        QCOMPARE(chatListTime(now.addDays(-1), now), QStringLiteral("Yesterday"));
        QCOMPARE(chatListTime(now.addDays(-3), now), QStringLiteral("Tue"));
        QCOMPARE(chatListTime(QDateTime(QDate(2025, 1, 2), QTime(8, 0)), now), QLocale().toString(QDate(2025, 1, 2), QLocale::ShortFormat));
        QCOMPARE(chatListTime(QDateTime(), now), QString());
    }

    void dayLabels() {
        QCOMPARE(dayLabel(now.date(), now.date()), QStringLiteral("Today"));
        QCOMPARE(dayLabel(now.date().addDays(-1), now.date()), QStringLiteral("Yesterday"));
        QCOMPARE(dayLabel(QDate(2025, 3, 3), now.date()), QStringLiteral("Monday, 3 March 2025"));
    }

    void presence() {
        const auto at = [&](int daysAgo, int h, int m) {
            return std::optional<qint64>(QDateTime(now.date().addDays(-daysAgo), QTime(h, m)).toMSecsSinceEpoch());
        };
        QCOMPARE(presenceText(true, true, std::nullopt, now), QStringLiteral("online"));
        QCOMPARE(presenceText(true, false, at(0, 15, 45), now), QStringLiteral("last seen today at 15:45"));
        QCOMPARE(presenceText(true, false, at(1, 9, 10), now), QStringLiteral("last seen yesterday at 9:10"));
        QCOMPARE(presenceText(true, false, at(11, 9, 10), now), QStringLiteral("last seen 3 Mar at 9:10"));
        QCOMPARE(presenceText(true, false, std::nullopt, now), QString()); // hidden by their privacy setting
        QCOMPARE(presenceText(false, false, at(0, 1, 0), now), QString());
    }

    void typing() {
        QCOMPARE(typingText({}), QString());
        QCOMPARE(typingText({"Alice"}), QStringLiteral("Alice is typing…"));
        QCOMPARE(typingText({"Alice", "Bob"}), QStringLiteral("Alice and Bob are typing…"));
        QCOMPARE(typingText({"Alice", "Bob", "Carol"}), QStringLiteral("3 people are typing…"));
    }

    void messageNames() {
        const QDateTime t(now.date(), QTime(15, 45));
        QCOMPARE(messageAccessibleName("Alice", t, "text", "hello", {}, false, "delivered"), QStringLiteral("Alice, 15:45: hello"));
        QCOMPARE(messageAccessibleName("You", t, "text", "hi", {}, true, "read"), QStringLiteral("You, 15:45: hi, read"));
        QCOMPARE(messageAccessibleName("You", t, "text", "hi", {}, true, "failed"), QStringLiteral("You, 15:45: hi, not sent"));
        QCOMPARE(messageAccessibleName("Bob", t, "media", "the plan", "plan.pdf", false, "delivered"),
                 QStringLiteral("Bob, 15:45: file plan.pdf, the plan"));
        QCOMPARE(messageAccessibleName({}, t, "system", "Alice added Bob", {}, false, "read"), QStringLiteral("15:45: Alice added Bob"));
    }

    void chatNames() {
        QCOMPARE(chatAccessibleName("Bob", 2, "15:45", "see you", {}), QStringLiteral("Bob, 2 unread messages, 15:45: see you"));
        QCOMPARE(chatAccessibleName("Bob", 1, "15:45", "see you", {}), QStringLiteral("Bob, 1 unread message, 15:45: see you"));
        QCOMPARE(chatAccessibleName("Bob", 0, "15:45", "see you", "Bob is typing…"), QStringLiteral("Bob, 15:45: Bob is typing…"));
        QCOMPARE(chatAccessibleName("Bob", 0, {}, {}, {}), QStringLiteral("Bob"));
    }

    void sizesAndBadges() {
        QCOMPARE(fileSizeText(12), QStringLiteral("12 bytes"));
        QCOMPARE(fileSizeText(820 * 1024), QStringLiteral("820 KB"));
        QCOMPARE(fileSizeText(1572864), QStringLiteral("1.5 MB"));
        QCOMPARE(unreadBadge(0), QString());
        QCOMPARE(unreadBadge(7), QStringLiteral("7"));
        QCOMPARE(unreadBadge(150), QStringLiteral("99+"));
    }

    void onboardingChecks() {
        QCOMPARE(normalizePhone(" +1 (555) 000-1 "), QStringLiteral("+15550001"));
        QVERIFY(phoneProblem("+1 555 0001").isEmpty());
        QVERIFY(!phoneProblem("").isEmpty());
        QVERIFY(!phoneProblem("015112345678").isEmpty()); // no country code
        QVERIFY(!phoneProblem("+0123456789").isEmpty());
        QVERIFY(!phoneProblem("+1555abc0001").isEmpty());
        QVERIFY(serverProblem("http://127.0.0.1:8787").isEmpty());
        QVERIFY(serverProblem("https://chat.example.org").isEmpty());
        QVERIFY(!serverProblem("").isEmpty());
        QVERIFY(!serverProblem("127.0.0.1:8787").isEmpty());
        QVERIFY(!serverProblem("ftp://example.org").isEmpty());
        QVERIFY(codeProblem("123456").isEmpty());
        QVERIFY(!codeProblem(" ").isEmpty());
        QVERIFY(!codeProblem("12 34").isEmpty());
    }

    void commandLine() {
        auto o = parseLaunchOptions({"natter-desktop", "--profile", "bob", "--screenshot", "/tmp/x.png", "--open-chat", "Alice"});
        QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
        QCOMPARE(o.profile, QStringLiteral("bob"));
        QCOMPARE(o.screenshotPath, QStringLiteral("/tmp/x.png"));
        QCOMPARE(o.openChat, QStringLiteral("Alice"));
        QVERIFY(!o.minimized);
        QVERIFY(parseLaunchOptions({"natter-desktop", "--minimized", "--profile", "bob"}).minimized);
        QCOMPARE(parseLaunchOptions({"natter-desktop"}).profile, QStringLiteral("default"));
        QCOMPARE(parseLaunchOptions({"natter-desktop", "--server", "https://n.example.org"}).server, QUrl("https://n.example.org"));
        QVERIFY(!parseLaunchOptions({"natter-desktop", "--server", "nonsense"}).error.isEmpty());
        QVERIFY(!parseLaunchOptions({"natter-desktop", "--bogus"}).error.isEmpty());
        QVERIFY(!parseLaunchOptions({"natter-desktop", "stray"}).error.isEmpty());
    }

    void natterLinkOpensTheChatItNames() {
        QCOMPARE(parseLaunchOptions({"natter-desktop", "natter:%2B4915100000001"}).openChat, QStringLiteral("+4915100000001"));
        QCOMPARE(parseLaunchOptions({"natter-desktop", "NATTER:Alice%20Smith"}).openChat, QStringLiteral("Alice Smith"));
        QCOMPARE(parseLaunchOptions({"natter-desktop", "natter:dm:1:2"}).openChat, QStringLiteral("dm:1:2"));
        QVERIFY(!parseLaunchOptions({"natter-desktop", "natter:"}).error.isEmpty());
        QVERIFY(!parseLaunchOptions({"natter-desktop", "https://example.org"}).error.isEmpty());
        QVERIFY(!parseLaunchOptions({"natter-desktop", "natter:a", "natter:b"}).error.isEmpty());
        QVERIFY(!parseLaunchOptions({"natter-desktop", "--open-chat", "Bob", "natter:a"}).error.isEmpty());
    }

    void notificationText() {
        QCOMPARE(TrayNotifier::notificationBody("lunch?", "text", {}, false), QStringLiteral("lunch?"));
        QCOMPARE(TrayNotifier::notificationBody("lunch?", "text", {}, true), QStringLiteral("New message"));
        QCOMPARE(TrayNotifier::notificationBody({}, "media", "beach.jpg", false), QStringLiteral("📎 beach.jpg"));
    }

    void qrCode() {
        const QImage qr = renderQrCode(QByteArray(80, 'x'), 4);
        QVERIFY(!qr.isNull());
        QCOMPARE(qr.width(), qr.height());
        QCOMPARE(qr.pixelColor(0, 0), QColor(Qt::white)); // quiet zone
        QCOMPARE(qr.pixelColor(4 * 4 + 1, 4 * 4 + 1), QColor(Qt::black)); // finder pattern corner
        QVERIFY(renderQrCode(QByteArray("a"), 4) != qr);
    }
};

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TstDesktopFormatting test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_desktop_formatting.moc"
