// natter-desktop's onboarding and dialogs read clearly (issue 16, items 10 and 11), with the
// real QML, a real Client and a real natterd: an onboarding error shows in the section whose
// action caused it, every dialog's title is larger than the headings inside it, the own name,
// the text size and starting at login (minimised) are changed in Settings, which also backs up
// the profile and exports its chats.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"

#include "appearance.h"
#include "desktop_app.h"
#include "profile_archive.h"
#include "tray_notifier.h"

#include "client/client.h"
#include "client/store/profile.h"
#include "client/store/profile_backup.h"

#include <QAccessible>
#include <QApplication>
#include <QDate>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontInfo>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::NatterdProcess;
using natter::test::accessibleName;

namespace {

constexpr int kWaitMs = 20000;

QQuickItem* visibleItem(QQuickWindow* window, const char* name) {
    auto* item = window->findChild<QQuickItem*>(QString::fromLatin1(name));
    return item && item->isVisible() ? item : nullptr;
}

double topIn(QQuickWindow* window, QQuickItem* item) { return item->mapToItem(window->contentItem(), QPointF(0, 0)).y(); }

// The largest pixel size of the bold texts under root (the section headings and labels).
int largestBoldText(QQuickItem* root) {
    int largest = 0;
    if (!root || !root->isVisible()) return largest;
    const QFont font = root->property("font").value<QFont>();
    if (root->property("text").isValid() && font.bold()) largest = QFontInfo(font).pixelSize();
    for (QQuickItem* child : root->childItems()) largest = std::max(largest, largestBoldText(child));
    return largest;
}

} // namespace

class TstDesktopSettings : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    client::Client* m_bob = nullptr;
    std::unique_ptr<desktop::DesktopApp> m_app;

    QQuickWindow* window() const { return m_app->window(); }
    QObject* dialog(const char* name) const { return window()->findChild<QObject*>(QString::fromLatin1(name)); }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-settings-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15553001"), QStringLiteral("Alice"));
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15553002"), QStringLiteral("Bob"));
        QVERIFY2(alice && m_bob, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Bob"), m_bob, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        m_app->appearance().setChoice(QStringLiteral("light"));
        m_app->appearance().setTextScale(100); // the config directory outlives a failed run
        QVERIFY(m_app->start());
        window()->resize(1280, 800);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client() && m_app->controller().client()->isSynced(), kWaitMs);
    }

    // Each case works on Alice's window: active, so typed keys reach its focused field.
    void init() {
        window()->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(window()->isActive(), kWaitMs);
    }

    // A wrong phone number is told under "Send code"; a missing link code under the Link section,
    // and the phone's error is gone from above.
    void anOnboardingErrorShowsInTheSectionThatCausedIt() {
        desktop::AppController::Options options;
        options.profile = QStringLiteral("erin");
        options.dataRoot = m_clients->dataRoot();
        options.server = m_server.baseUrl();
        desktop::DesktopApp app(options);
        QVERIFY(app.start());
        QQuickWindow* onboarding = app.window();
        onboarding->resize(800, 700);
        auto& c = app.controller();
        QTRY_COMPARE_WITH_TIMEOUT(c.screen(), QStringLiteral("onboarding"), kWaitMs);
        auto* linkSection = visibleItem(onboarding, "linkWithHistory");
        QVERIFY(linkSection);

        c.requestCode(c.defaultServer(), QStringLiteral("5550009"));
        QTRY_VERIFY_WITH_TIMEOUT(visibleItem(onboarding, "registerError"), kWaitMs);
        auto* registerError = visibleItem(onboarding, "registerError");
        QVERIFY(registerError->property("text").toString().contains(QStringLiteral("international")));
        QVERIFY(topIn(onboarding, registerError) < topIn(onboarding, linkSection));
        QVERIFY(!visibleItem(onboarding, "linkError"));

        c.linkDevice(c.defaultServer(), QString(), QStringLiteral("Desk"), false);
        QTRY_VERIFY_WITH_TIMEOUT(visibleItem(onboarding, "linkError"), kWaitMs);
        auto* linkError = visibleItem(onboarding, "linkError");
        QCOMPARE(linkError->property("text").toString(), QStringLiteral("Enter the link code shown on your other device."));
        QTRY_VERIFY_WITH_TIMEOUT(topIn(onboarding, linkError) > topIn(onboarding, linkSection), kWaitMs); // after the layout's polish
        QVERIFY(!visibleItem(onboarding, "registerError"));
        QCOMPARE(c.screen(), QStringLiteral("onboarding"));
    }

    // Settings, New chat, New group and the safety number: each title is larger than every
    // section heading (bold text) in its dialog, and is read out by its name.
    void everyDialogTitleIsLargerThanItsHeadings() {
        QVERIFY(m_app->controller().openChat(QStringLiteral("Bob")));
        for (const char* name : {"settingsDialog", "newChatDialog", "newGroupDialog", "safetyNumberDialog"}) {
            QObject* d = dialog(name);
            QVERIFY2(d, name);
            QMetaObject::invokeMethod(d, "open");
            QTRY_VERIFY_WITH_TIMEOUT(d->property("opened").toBool(), kWaitMs);
            auto* header = d->property("header").value<QQuickItem*>();
            QVERIFY2(header && header->isVisible(), name);
            QCOMPARE(header->property("text").toString(), d->property("title").toString());
            const int title = QFontInfo(header->property("font").value<QFont>()).pixelSize();
            const int headings = largestBoldText(d->property("contentItem").value<QQuickItem*>());
            QVERIFY2(title > headings && title >= 18,
                     qPrintable(QStringLiteral("%1: title %2 px, headings %3 px").arg(QString::fromLatin1(name)).arg(title).arg(headings)));
            QCOMPARE(accessibleName(header), d->property("title").toString());
            QMetaObject::invokeMethod(d, "close");
            QTRY_VERIFY_WITH_TIMEOUT(!d->property("visible").toBool(), kWaitMs);
        }
    }

    // The own name is edited in Settings: saved for the account, shown again when Settings
    // reopens; a blank name cannot be saved and a refused one changes nothing.
    void theOwnNameIsChangedInSettings() {
        auto& controller = m_app->controller();
        QObject* settings = dialog("settingsDialog");
        QMetaObject::invokeMethod(settings, "open");
        QTRY_VERIFY_WITH_TIMEOUT(settings->property("opened").toBool(), kWaitMs);
        auto* field = visibleItem(window(), "selfNameField");
        auto* save = visibleItem(window(), "selfNameSave");
        QVERIFY(field && save);
        QCOMPARE(field->property("text").toString(), QStringLiteral("Alice"));
        QVERIFY(!save->property("enabled").toBool()); // nothing changed yet

        field->setProperty("text", QStringLiteral("   "));
        QVERIFY(!save->property("enabled").toBool());
        QSignalSpy failed(&controller, &desktop::AppController::actionFailed);
        controller.setSelfName(QStringLiteral("   "));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWaitMs);
        QCOMPARE(controller.selfName(), QStringLiteral("Alice"));
        QCOMPARE(field->property("text").toString(), QStringLiteral("Alice")); // the saved name again

        field->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(field->hasActiveFocus(), kWaitMs);
        field->setProperty("text", QString());
        test::typeInto(window(), "Alice Liddell");
        QVERIFY(save->property("enabled").toBool());
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(controller.selfName(), QStringLiteral("Alice Liddell"), kWaitMs);
        QCOMPARE(controller.client()->account().displayName, QStringLiteral("Alice Liddell"));
        QMetaObject::invokeMethod(settings, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!settings->property("visible").toBool(), kWaitMs);
        QMetaObject::invokeMethod(settings, "open");
        QTRY_VERIFY_WITH_TIMEOUT(settings->property("opened").toBool(), kWaitMs);
        QCOMPARE(visibleItem(window(), "selfNameField")->property("text").toString(), QStringLiteral("Alice Liddell"));
        QMetaObject::invokeMethod(settings, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!settings->property("visible").toBool(), kWaitMs);
    }

    // Settings → About: saved for the account and shown again; it reaches Bob with Alice's next
    // message. One over 140 bytes (71 two-byte letters fit the field) is refused, nothing changed.
    void theAboutTextIsSetInSettingsAndReachesAContact() {
        auto& controller = m_app->controller();
        QObject* settings = dialog("settingsDialog");
        QMetaObject::invokeMethod(settings, "open");
        QTRY_VERIFY_WITH_TIMEOUT(settings->property("opened").toBool(), kWaitMs);
        auto* field = visibleItem(window(), "selfAboutField");
        auto* save = visibleItem(window(), "selfAboutSave");
        QVERIFY(field && save);
        QCOMPARE(field->property("text").toString(), QString());
        field->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(field->hasActiveFocus(), kWaitMs);
        test::typeInto(window(), "Gardener, mostly tomatoes");
        QVERIFY(save->property("enabled").toBool());
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(controller.selfAbout(), QStringLiteral("Gardener, mostly tomatoes"), kWaitMs);
        QVERIFY(!save->property("enabled").toBool());

        QSignalSpy failed(&controller, &desktop::AppController::actionFailed);
        controller.setSelfAbout(QString(71, QChar(0xe9)));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(controller.selfAbout(), QStringLiteral("Gardener, mostly tomatoes"));
        QCOMPARE(field->property("text").toString(), QStringLiteral("Gardener, mostly tomatoes"));
        QMetaObject::invokeMethod(settings, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!settings->property("visible").toBool(), kWaitMs);

        auto* alice = controller.client();
        const auto chat = alice->resolveChat(QStringLiteral("Bob"));
        QVERIFY(chat && alice->sendText(*chat, QStringLiteral("About me, see my profile")));
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->aboutOf(alice->account().userId), QStringLiteral("Gardener, mostly tomatoes"), kWaitMs);
    }

    // Settings → Text size: 150 % is kept for the profile (the next start scales by it, see
    // tst_desktop_e2e) and the dialog says when it applies; an unknown size changes nothing.
    void theTextSizeIsChosenInSettingsAndKeptForTheProfile() {
        QObject* settings = dialog("settingsDialog");
        QMetaObject::invokeMethod(settings, "open");
        QTRY_VERIFY_WITH_TIMEOUT(settings->property("opened").toBool(), kWaitMs);
        auto* choice = visibleItem(window(), "textScaleChoice");
        QVERIFY(choice);
        QCOMPARE(choice->property("currentIndex").toInt(), 0);
        QCOMPARE(choice->property("displayText").toString(), QStringLiteral("100 %"));
        QCOMPARE(accessibleName(choice), QStringLiteral("Text size"));
        QVERIFY(!visibleItem(window(), "textScaleNote"));
        choice->setProperty("currentIndex", 2);
        QMetaObject::invokeMethod(choice, "activated", Q_ARG(int, 2));
        QCOMPARE(m_app->appearance().textScale(), 150);
        QTRY_VERIFY_WITH_TIMEOUT(visibleItem(window(), "textScaleNote"), kWaitMs);
        {
            desktop::Appearance sameProfile(QStringLiteral("alice"));
            QCOMPARE(sameProfile.textScale(), 150);
            desktop::Appearance otherProfile(QStringLiteral("bob"));
            QCOMPARE(otherProfile.textScale(), 100);
        }
        QTest::ignoreMessage(QtWarningMsg, "natter-desktop: unknown text size 130% (100, 125, 150 or 175)");
        m_app->appearance().setTextScale(130);
        QCOMPARE(m_app->appearance().textScale(), 150);
        m_app->appearance().setTextScale(100);
        QTRY_VERIFY_WITH_TIMEOUT(!visibleItem(window(), "textScaleNote"), kWaitMs);
        QMetaObject::invokeMethod(settings, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!settings->property("visible").toBool(), kWaitMs);
    }

    // Settings → "Start Natter when you log in", by keyboard: an XDG autostart entry that starts
    // this profile in the tray; off removes it. Where it cannot be written, the switch stays off
    // and says why.
    void startingAtLoginIsAnAutostartEntryForThisProfile() {
        const QString autostartDir = QDir::tempPath() + QStringLiteral("/natter-desktop-settings-config/autostart");
        const QString entry = autostartDir + QStringLiteral("/org.natter.Natter-alice.desktop");
        QFile::remove(entry);
        QObject* settings = dialog("settingsDialog");
        QMetaObject::invokeMethod(settings, "open");
        QTRY_VERIFY_WITH_TIMEOUT(settings->property("opened").toBool(), kWaitMs);
        auto* toggle = visibleItem(window(), "autostartSwitch");
        QVERIFY(toggle);
        QVERIFY(!toggle->property("checked").toBool());
        QCOMPARE(accessibleName(toggle), QStringLiteral("Start Natter when you log in"));

        toggle->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(toggle->hasActiveFocus(), kWaitMs);
        QTest::keyClick(window(), Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(entry), kWaitMs);
        QVERIFY(toggle->property("checked").toBool());
        QFile file(entry);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("[Desktop Entry]"));
        QVERIFY(lines.contains(QStringLiteral("Type=Application")));
        QVERIFY(lines.contains(QStringLiteral("Exec=%1 --minimized --profile alice").arg(QCoreApplication::applicationFilePath())));
        QVERIFY(lines.contains(QStringLiteral("X-GNOME-Autostart-enabled=true")));

        QTest::keyClick(window(), Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(entry), kWaitMs);
        QVERIFY(!toggle->property("checked").toBool());
        QVERIFY(!visibleItem(window(), "autostartError"));

        // A file where the autostart directory belongs: nothing can be written there.
        QDir(autostartDir).removeRecursively();
        {
            QFile blocker(autostartDir);
            QVERIFY(blocker.open(QIODevice::WriteOnly));
        }
        QTest::keyClick(window(), Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(visibleItem(window(), "autostartError"), kWaitMs);
        QVERIFY(visibleItem(window(), "autostartError")->property("text").toString().contains(entry));
        QVERIFY(!toggle->property("checked").toBool());
        QVERIFY(QFileInfo(autostartDir).isFile());
        QFile::remove(autostartDir);
        QMetaObject::invokeMethod(settings, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!settings->property("visible").toBool(), kWaitMs);
    }

    // --minimized (the autostart entry's start): a signed-up profile opens and syncs with its
    // window out of the way (iconified here: the offscreen platform has no tray) until the user
    // brings it up; a profile that needs the user (sign-up) shows its window at once.
    void aMinimizedStartStaysOutOfTheWayUntilTheUserIsNeeded() {
        QVERIFY2(m_clients->signUp(QStringLiteral("carol"), QStringLiteral("+15553003"), QStringLiteral("Carol")),
                 qPrintable(m_clients->lastError()));
        m_clients->close(QStringLiteral("carol"));
        desktop::AppController::Options options;
        options.profile = QStringLiteral("carol");
        options.dataRoot = m_clients->dataRoot();
        desktop::DesktopApp carol(options);
        QVERIFY(carol.start(true));
        QVERIFY(!carol.tray().hasTrayIcon());
        QTRY_VERIFY_WITH_TIMEOUT(carol.controller().client() && carol.controller().client()->isSynced(), kWaitMs);
        QCOMPARE(carol.controller().screen(), QStringLiteral("main"));
        QCOMPARE(carol.window()->visibility(), QWindow::Minimized);
        carol.tray().showWindow();
        QTRY_COMPARE_WITH_TIMEOUT(carol.window()->visibility(), QWindow::Windowed, kWaitMs);

        options.profile = QStringLiteral("frank"); // never signed up: onboarding needs the user
        options.server = m_server.baseUrl();
        desktop::DesktopApp frank(options);
        QVERIFY(frank.start(true));
        QTRY_COMPARE_WITH_TIMEOUT(frank.controller().screen(), QStringLiteral("onboarding"), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(frank.window()->visibility(), QWindow::Windowed, kWaitMs);
    }

    // Settings → Back up: a short or mistyped passphrase cannot be used; a good one writes a
    // backup the core restores (and refuses under a wrong passphrase). Export chats: a new HTML
    // export folder with Bob's message in it, a second export beside it, not over it.
    void backupAndExportAreOfferedInSettings() {
        auto& archive = m_app->archive();
        auto* alice = m_app->controller().client();
        const auto bobsChat = m_bob->resolveChat(QStringLiteral("Alice"));
        QVERIFY(bobsChat);
        QVERIFY(m_bob->sendText(*bobsChat, QStringLiteral("Keep this one for the archive")));
        const auto arrived = [&] {
            const auto hits = alice->search(QStringLiteral("archive"));
            return hits && !hits->empty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(arrived(), kWaitMs);

        QObject* settings = dialog("settingsDialog");
        QMetaObject::invokeMethod(settings, "open");
        QTRY_VERIFY_WITH_TIMEOUT(settings->property("opened").toBool(), kWaitMs);
        auto* backupButton = visibleItem(window(), "backupButton");
        QVERIFY(backupButton);
        backupButton->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(backupButton->hasActiveFocus(), kWaitMs);
        QTest::keyClick(window(), Qt::Key_Space);
        QObject* backup = dialog("backupDialog");
        QTRY_VERIFY_WITH_TIMEOUT(backup->property("opened").toBool(), kWaitMs);
        auto* passphrase = visibleItem(window(), "backupPassphrase");
        auto* confirmation = visibleItem(window(), "backupConfirmation");
        auto* save = visibleItem(window(), "backupSave");
        QVERIFY(passphrase && confirmation && save);
        passphrase->setProperty("text", QStringLiteral("short"));
        QTRY_VERIFY_WITH_TIMEOUT(visibleItem(window(), "backupProblem"), kWaitMs);
        QCOMPARE(visibleItem(window(), "backupProblem")->property("text").toString(), QStringLiteral("At least 10 characters."));
        QVERIFY(!save->property("enabled").toBool());
        passphrase->setProperty("text", QStringLiteral("correct horse battery"));
        confirmation->setProperty("text", QStringLiteral("correct horse battery staple"));
        QCOMPARE(visibleItem(window(), "backupProblem")->property("text").toString(), QStringLiteral("The two passphrases differ."));
        QVERIFY(!save->property("enabled").toBool());
        confirmation->setProperty("text", QStringLiteral("correct horse battery"));
        QTRY_VERIFY_WITH_TIMEOUT(save->property("enabled").toBool(), kWaitMs);

        QTemporaryDir out;
        const QString file = out.filePath(QStringLiteral("alice.natter-backup"));
        QSignalSpy finished(&archive, &desktop::ProfileArchive::finished);
        QSignalSpy failed(&archive, &desktop::ProfileArchive::failed);
        archive.backup(QUrl::fromLocalFile(file), QStringLiteral("correct horse"), QStringLiteral("correct horse!"));
        QCOMPARE(failed.size(), 1);
        QVERIFY(!QFile::exists(file));
        // What the file dialog's choice does, with the passphrase the dialog holds.
        archive.backup(QUrl::fromLocalFile(file), passphrase->property("text").toString(), confirmation->property("text").toString());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(finished.front().front().toString().contains(file));
        QTRY_VERIFY_WITH_TIMEOUT(!backup->property("visible").toBool(), kWaitMs);
        QVERIFY(visibleItem(window(), "archiveResult")->property("text").toString().contains(file));
        QCOMPARE(passphrase->property("text").toString(), QString()); // not kept in the closed dialog

        const auto target = client::store::ProfilePaths::forName(QStringLiteral("restored"), out.path());
        QVERIFY(target);
        const auto newPassphrase = []() -> client::Expected<QByteArray> { return QByteArray("restored profile passphrase"); };
        QVERIFY(!client::store::restoreProfileBackup(file, "correct horse battering", *target, newPassphrase));
        QVERIFY(!target->exists());
        const auto restored = client::store::restoreProfileBackup(file, "correct horse battery", *target, newPassphrase);
        QVERIFY2(restored, qPrintable(restored ? QString() : restored.error().message));
        QVERIFY(target->exists());

        archive.exportChats(QUrl::fromLocalFile(out.path()), QStringLiteral("html"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        const QString folder = out.filePath(QStringLiteral("Natter export %1").arg(QDate::currentDate().toString(Qt::ISODate)));
        QVERIFY2(finished.back().front().toString().startsWith(QStringLiteral("Exported ")) &&
                     finished.back().front().toString().contains(folder),
                 qPrintable(finished.back().front().toString()));
        QVERIFY(QFile::exists(folder + QStringLiteral("/index.html")));
        bool found = false;
        for (const QFileInfo& page : QDir(folder + QStringLiteral("/chats")).entryInfoList(QDir::Files)) {
            QFile f(page.filePath());
            QVERIFY(f.open(QIODevice::ReadOnly));
            found = found || f.readAll().contains("Keep this one for the archive");
        }
        QVERIFY(found);
        archive.exportChats(QUrl::fromLocalFile(out.path()), QStringLiteral("json"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, kWaitMs);
        QVERIFY(QFile::exists(folder + QStringLiteral(" (2)/index.json")));
        QCOMPARE(failed.size(), 1);
        QMetaObject::invokeMethod(settings, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!settings->property("visible").toBool(), kWaitMs);
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopSettings)

#include "tst_desktop_settings.moc"
