// natter-desktop's in-app picture viewer against a real natterd, the real QML and a real
// Client: a picture Bob sends opens over the window when its thumbnail is clicked, fitted or
// at 100%, says who sent it and its caption, saves and opens externally, and closes with Esc or
// its button; its bubble has no file row; messages are walked with the arrow keys, Enter opens,
// the Menu key copies.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"

#include "appearance.h"
#include "desktop_app.h"
#include "image_viewer.h"

#include "client/client.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QDirIterator>
#include <QQuickImageProvider>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::NatterdProcess;

namespace {

constexpr int kWaitMs = 20000;

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

// Receives what QDesktopServices::openUrl hands to the system for file: URLs.
class ExternalOpener : public QObject {
    Q_OBJECT
public:
    QList<QUrl> opened;
public slots:
    void open(const QUrl& url) { opened << url; }
};

class TstDesktopViewer : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    client::Client* m_bob = nullptr;
    QString m_chat;
    QTemporaryDir m_files;
    QString m_picturePath;
    QImage m_picture;
    std::unique_ptr<desktop::DesktopApp> m_app;
    ExternalOpener m_opener;

    desktop::ImageViewer& viewer() { return m_app->controller().imageViewer(); }
    QQuickItem* item(const char* name) const { return m_app->window()->findChild<QQuickItem*>(QString::fromLatin1(name)); }
    QObject* popup() const { return m_app->window()->findChild<QObject*>(QStringLiteral("imageViewer")); }
    // The thumbnail of the one picture in the chat, as the user sees it.
    // (Delegates have no QObject parent: walk the item tree.)
    static QQuickItem* findVisible(QQuickItem* root, const QString& name) {
        if (!root->isVisible()) return nullptr;
        if (root->objectName() == name && root->width() > 0) return root;
        for (auto* child : root->childItems())
            if (auto* hit = findVisible(child, name)) return hit;
        return nullptr;
    }
    QQuickItem* visibleThumbnail() const { return findVisible(m_app->window()->contentItem(), QStringLiteral("thumbnailArea")); }
    // The bubble (delegate) whose accessible name mentions this text or file name.
    QQuickItem* bubbleNamed(const QString& part) const {
        auto* list = item("messageList");
        if (!list) return nullptr;
        auto* content = list->property("contentItem").value<QQuickItem*>();
        for (QQuickItem* row : content ? content->childItems() : QList<QQuickItem*>()) {
            QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(row);
            if (row->isVisible() && accessible && accessible->text(QAccessible::Name).contains(part)) return row;
        }
        return nullptr;
    }
    // The message menu (one for the list) when it is open.
    QObject* openMenu() const {
        QObject* menu = m_app->window()->findChild<QObject*>(QStringLiteral("messageMenu"));
        return menu && menu->property("opened").toBool() ? menu : nullptr;
    }
    // The objectName of the menu entry the keyboard highlights.
    static QString highlighted(QObject* menu) {
        QQuickItem* entry = nullptr;
        QMetaObject::invokeMethod(menu, "itemAt", Q_RETURN_ARG(QQuickItem*, entry), Q_ARG(int, menu->property("currentIndex").toInt()));
        return entry ? entry->objectName() : QString();
    }
    bool sendFile(const QString& path) {
        return bool(test::await<qint64>([&](auto done) { m_bob->sendFile(m_chat, path, {}, {}, done); }));
    }
    void clickThumbnail() {
        QQuickItem* thumb = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((thumb = visibleThumbnail()) != nullptr, kWaitMs);
        const auto centre = [thumb] { return thumb->mapToScene(QPointF(thumb->width() / 2, thumb->height() / 2)); };
        QTRY_VERIFY_WITH_TIMEOUT(thumb->height() > 10 && QRectF(0, 0, m_app->window()->width(), m_app->window()->height()).contains(centre()),
                                 kWaitMs);
        QTest::mouseClick(m_app->window(), Qt::LeftButton, Qt::NoModifier, centre().toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(popup()->property("opened").toBool(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(item("viewerImage")->property("status").toInt(), 1 /* Image.Ready */, kWaitMs);
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-viewer-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15552001"), QStringLiteral("Alice"));
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15552002"), QStringLiteral("Bob"));
        QVERIFY2(alice && m_bob, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Bob"), m_bob, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        m_chat = ClientHarness::directChat(alice, m_bob);
        QVERIFY(m_bob->resolveChat(QStringLiteral("Alice")));
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        // Bob's holiday picture: larger than the window, left half orange, right half blue.
        m_picture = QImage(1600, 1200, QImage::Format_RGB32);
        m_picture.fill(QColor(0x20, 0x60, 0xd0));
        for (int y = 0; y < m_picture.height(); ++y)
            for (int x = 0; x < m_picture.width() / 2; ++x) m_picture.setPixel(x, y, qRgb(0xf0, 0x90, 0x10));
        m_picturePath = m_files.filePath(QStringLiteral("harbour.png"));
        QVERIFY(m_picture.save(m_picturePath));
        QVERIFY(sendFile(m_picturePath));

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        QVERIFY(m_app->start());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client()->isSynced(), kWaitMs);
        QVERIFY(m_app->controller().openChat(QStringLiteral("Bob")));
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &m_opener, "open");
    }

    void imageAttachmentOpensInTheInAppViewer() {
        clickThumbnail();
        QVERIFY(viewer().isOpen());
        QCOMPARE(item("viewerFileName")->property("text").toString(), QStringLiteral("harbour.png"));
        QVERIFY2(item("viewerSenderAndTime")->property("text").toString().startsWith(QStringLiteral("Bob · ")),
                 qPrintable(item("viewerSenderAndTime")->property("text").toString()));
        QVERIFY(m_opener.opened.isEmpty()); // not handed to the system's image viewer

        // Fitted: the whole picture is inside the window, aspect ratio kept.
        auto* image = item("viewerImage");
        QQuickWindow* window = m_app->window();
        QVERIFY(image->width() > 200 && image->width() <= window->width());
        QVERIFY(image->height() <= window->height());
        QCOMPARE(qRound(image->width() * 3), qRound(image->height() * 4));
        // What is on screen is the decrypted picture: orange left, blue right.
        QTest::qWait(100);
        const QImage shot = window->grabWindow();
        const QRectF r = image->mapRectToScene(QRectF(0, 0, image->width(), image->height()));
        const qreal dpr = shot.devicePixelRatio();
        const QColor left = shot.pixelColor(QPointF((r.left() + r.width() / 4) * dpr, r.center().y() * dpr).toPoint());
        const QColor right = shot.pixelColor(QPointF((r.right() - r.width() / 4) * dpr, r.center().y() * dpr).toPoint());
        QVERIFY2(left.red() > 200 && left.blue() < 80, qPrintable(left.name()));
        QVERIFY2(right.blue() > 180 && right.red() < 80, qPrintable(right.name()));
        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
        QVERIFY(shot.save(QStringLiteral(NATTER_SCREENSHOT_DIR "/image-viewer.png")));
    }

    void viewerTogglesBetweenFitAndActualSize() {
        QVERIFY(popup()->property("opened").toBool());
        auto* zoom = item("viewerZoomButton");
        auto* image = item("viewerImage");
        QMetaObject::invokeMethod(zoom, "clicked");
        QTRY_COMPARE_WITH_TIMEOUT(qRound(image->width()), 1600, kWaitMs);
        QCOMPARE(qRound(image->height()), 1200);
        QMetaObject::invokeMethod(zoom, "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(image->width() < m_app->window()->width(), kWaitMs);
    }

    // "Open externally" hands a decrypted copy to the system; the viewer itself wrote none.
    void viewerOpensThePictureExternally() {
        QDirIterator it(m_clients->dataRoot(), QDir::Files, QDirIterator::Subdirectories);
        const QByteArray original = readAll(m_picturePath);
        while (it.hasNext()) {
            const QString file = it.next();
            QVERIFY2(!readAll(file).contains(original.mid(8, 64)), qPrintable(file + " holds the picture in clear"));
        }
        QMetaObject::invokeMethod(item("viewerOpenExternallyButton"), "clicked");
        QTRY_COMPARE_WITH_TIMEOUT(m_opener.opened.size(), 1, kWaitMs);
        QCOMPARE(readAll(m_opener.opened.first().toLocalFile()), original);
    }

    void viewerSaveAsAsksWhereToSave() {
        auto* dialog = m_app->window()->findChild<QObject*>(QStringLiteral("saveDialog"));
        QVERIFY(dialog);
        QVERIFY(!dialog->property("visible").toBool());
        QMetaObject::invokeMethod(item("viewerSaveButton"), "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("visible").toBool(), kWaitMs);
        QCOMPARE(dialog->property("localId").toLongLong(), viewer().localId());
        QMetaObject::invokeMethod(dialog, "reject");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), kWaitMs);
        QVERIFY(popup()->property("opened").toBool()); // the viewer stays open
    }

    // Esc closes the viewer and drops the decrypted picture.
    void escapeClosesTheViewer() {
        QVERIFY(popup()->property("opened").toBool());
        const QString source = viewer().source();
        QVERIFY(source.startsWith(QStringLiteral("image://attachment/")));
        QQuickWindow* window = m_app->window();
        window->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(window->isActive(), kWaitMs);
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);
        QVERIFY(!viewer().isOpen());
        auto* provider = dynamic_cast<QQuickImageProvider*>(m_app->engine().imageProvider(QStringLiteral("attachment")));
        QVERIFY(provider);
        QSize size;
        QVERIFY(provider->requestImage(source.mid(QStringLiteral("image://attachment/").size()), &size, {}).isNull());
    }

    // Keyboard only: the close button has the focus when the viewer opens; Space presses it.
    void viewerIsKeyboardAccessible() {
        clickThumbnail();
        QQuickWindow* window = m_app->window();
        auto* close = item("viewerCloseButton");
        QTRY_VERIFY_WITH_TIMEOUT(close->hasActiveFocus(), kWaitMs);
        for (const char* name : {"imageViewerContent", "viewerImage", "viewerZoomButton", "viewerSaveButton", "viewerOpenExternallyButton",
                                 "viewerCloseButton"}) {
            QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(m_app->window()->findChild<QObject*>(QString::fromLatin1(name)));
            QVERIFY2(accessible && !accessible->text(QAccessible::Name).isEmpty(), name);
        }
        QCOMPARE(QAccessible::queryAccessibleInterface(close)->text(QAccessible::Name), QStringLiteral("Close the picture"));
        QTest::keyClick(window, Qt::Key_Tab);
        QTRY_VERIFY_WITH_TIMEOUT(!close->hasActiveFocus(), kWaitMs);
        QQuickItem* focused = window->activeFocusItem();
        QVERIFY(focused);
        QVERIFY2(focused->objectName().startsWith(QStringLiteral("viewer")), qPrintable(focused->objectName()));
        close->forceActiveFocus();
        QTest::keyClick(window, Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);
    }

    // A document is not a picture: the viewer refuses it (it keeps opening in its application).
    void documentsDoNotOpenInTheViewer() {
        const QString path = m_files.filePath(QStringLiteral("minutes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("minutes of the meeting\n");
        file.close();
        QVERIFY(sendFile(path));
        auto* alice = m_app->controller().client();
        QTRY_VERIFY_WITH_TIMEOUT(!ClientHarness::messagesOf(alice, m_chat).isEmpty() &&
                                     ClientHarness::messagesOf(alice, m_chat).last().media &&
                                     ClientHarness::messagesOf(alice, m_chat).last().media->fileName == QStringLiteral("minutes.txt"),
                                 kWaitMs);
        QVERIFY(!viewer().show(ClientHarness::messagesOf(alice, m_chat).last().localId));
        QVERIFY(!viewer().isOpen());
    }

    // A picture's bubble is its thumbnail, without a file row under it; a document keeps its row.
    void aPictureShowsNoFileRowUnderItsThumbnailButADocumentDoes() {
        QQuickItem* list = item("messageList");
        QTRY_VERIFY_WITH_TIMEOUT(bubbleNamed(QStringLiteral("minutes.txt")) && bubbleNamed(QStringLiteral("harbour.png")), kWaitMs);
        QVERIFY(list);
        QVERIFY(findVisible(bubbleNamed(QStringLiteral("harbour.png")), QStringLiteral("thumbnailArea")));
        QVERIFY(!findVisible(bubbleNamed(QStringLiteral("harbour.png")), QStringLiteral("fileRow")));
        QVERIFY(findVisible(bubbleNamed(QStringLiteral("minutes.txt")), QStringLiteral("fileRow")));
    }

    // Keyboard only: Up walks to the picture and Enter opens it in the viewer; on a text, the
    // Menu key offers "Copy text", which puts the text on the clipboard. A screenshot with the
    // focus ring on a message is saved.
    void messagesAreWalkedWithArrowKeysAndActedOnFromTheKeyboard() {
        QVERIFY(m_bob->sendText(m_chat, QStringLiteral("Meet at the harbour at six")));
        QTRY_VERIFY_WITH_TIMEOUT(bubbleNamed(QStringLiteral("Meet at the harbour at six")), kWaitMs);
        QQuickWindow* window = m_app->window();
        window->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(window->isActive(), kWaitMs);
        QQuickItem* list = item("messageList");
        list->forceActiveFocus(Qt::TabFocusReason);
        QTRY_VERIFY_WITH_TIMEOUT(list->hasActiveFocus(), kWaitMs);
        const auto current = [list] {
            auto* at = list->property("currentItem").value<QQuickItem*>();
            QAccessibleInterface* accessible = at ? QAccessible::queryAccessibleInterface(at) : nullptr;
            return accessible ? accessible->text(QAccessible::Name) : QString();
        };
        for (int i = 0; i < 4 && !current().contains(QStringLiteral("harbour.png")); ++i) QTest::keyClick(window, Qt::Key_Up);
        QVERIFY2(current().contains(QStringLiteral("harbour.png")), qPrintable(current()));
        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
        QVERIFY(window->grabWindow().save(QStringLiteral(NATTER_SCREENSHOT_DIR "/message-focus.png")));
        QTest::keyClick(window, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(popup()->property("opened").toBool(), kWaitMs);
        QCOMPARE(item("viewerFileName")->property("text").toString(), QStringLiteral("harbour.png"));
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);

        list->forceActiveFocus(Qt::TabFocusReason);
        for (int i = 0; i < 4 && !current().contains(QStringLiteral("Meet at the harbour")); ++i) QTest::keyClick(window, Qt::Key_Down);
        QVERIFY2(current().contains(QStringLiteral("Meet at the harbour")), qPrintable(current()));
        QGuiApplication::clipboard()->clear();
        QTest::keyClick(window, Qt::Key_Menu);
        QObject* menu = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((menu = openMenu()) != nullptr, kWaitMs);
        for (int i = 0; i < 6 && highlighted(menu) != QLatin1String("copyAction"); ++i) QTest::keyClick(window, Qt::Key_Down);
        QCOMPARE(highlighted(menu), QStringLiteral("copyAction"));
        QTest::keyClick(window, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(QGuiApplication::clipboard()->text(), QStringLiteral("Meet at the harbour at six"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!menu->property("opened").toBool(), kWaitMs);
        QVERIFY(!m_app->controller().conversationView()->copyText(-1)); // no such message: nothing copied
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("Meet at the harbour at six"));
    }

    // Keyboard and wheel zoom: + and the wheel up enlarge the picture, - shrinks it, 0 fits it
    // to the window again.
    void plusMinusZeroAndTheWheelZoomThePicture() {
        clickThumbnail();
        QQuickWindow* window = m_app->window();
        auto* image = item("viewerImage");
        QTRY_VERIFY_WITH_TIMEOUT(image->width() > 200, kWaitMs);
        const qreal fitted = image->width();
        QTest::keyClick(window, Qt::Key_Plus);
        QTRY_COMPARE_WITH_TIMEOUT(qRound(image->width()), qRound(fitted * 1.25), kWaitMs);
        QTest::keyClick(window, Qt::Key_Plus);
        QTRY_COMPARE_WITH_TIMEOUT(qRound(image->width()), qRound(fitted * 1.25 * 1.25), kWaitMs);
        QTest::keyClick(window, Qt::Key_Minus);
        QTRY_COMPARE_WITH_TIMEOUT(qRound(image->width()), qRound(fitted * 1.25), kWaitMs);
        QTest::keyClick(window, Qt::Key_0);
        QTRY_COMPARE_WITH_TIMEOUT(qRound(image->width()), qRound(fitted), kWaitMs);
        const QPointF centre = image->mapToScene(QPointF(image->width() / 2, image->height() / 2));
        QWheelEvent up(centre, window->mapToGlobal(centre.toPoint()), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                       Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(window, &up);
        QTRY_COMPARE_WITH_TIMEOUT(qRound(image->width()), qRound(fitted * 1.25), kWaitMs);
        // Bounded: never beyond 8 times the picture's size, never below 1/8 (or the fitted size).
        QCOMPARE(desktop::ImageViewer::zoomed(7.0, 3, 0.5), 8.0);
        QCOMPARE(desktop::ImageViewer::zoomed(0.2, -5, 0.5), 0.125);
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);
    }

    // The viewer's buttons are dark with light text on its dark backdrop (in the light theme
    // too), their text readable (WCAG AA).
    void theViewersButtonsAreDarkOnItsDarkBackdrop() {
        clickThumbnail();
        QQuickWindow* window = m_app->window();
        auto* save = item("viewerSaveButton");
        QTRY_VERIFY_WITH_TIMEOUT(save->isVisible() && save->width() > 20, kWaitMs);
        const QImage shot = window->grabWindow();
        const qreal dpr = shot.devicePixelRatio();
        const QRectF r = save->mapRectToScene(QRectF(0, 0, save->width(), save->height()));
        // The button's face is its median colour (the text is a small part of it); the text
        // is its brightest.
        QList<QColor> colours;
        for (int y = int((r.top() + 3) * dpr); y < int((r.bottom() - 3) * dpr); ++y)
            for (int x = int((r.left() + 3) * dpr); x < int((r.right() - 3) * dpr); ++x) colours << shot.pixelColor(x, y);
        QVERIFY(!colours.isEmpty());
        std::sort(colours.begin(), colours.end(), [](const QColor& a, const QColor& b) { return a.lightnessF() < b.lightnessF(); });
        const QColor face = colours.at(colours.size() / 2);
        QVERIFY2(face.lightnessF() < 0.3, qPrintable(face.name()));
        QVERIFY2(desktop::contrastRatio(colours.last(), face) >= 4.5, qPrintable(colours.last().name() + QLatin1Char(' ') + face.name()));
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);
    }

    // A picture sent with a caption shows it under the picture in the viewer; one without
    // shows no caption bar.
    void theViewerShowsThePicturesCaption() {
        auto* alice = m_app->controller().client();
        QVERIFY(test::await<qint64>([&](auto done) { m_bob->sendFile(m_chat, m_picturePath, QStringLiteral("Sunset over the harbour"), {}, done); }));
        std::optional<client::MessageRecord> captioned;
        QTRY_VERIFY_WITH_TIMEOUT((captioned = ClientHarness::findMessage(alice, m_chat, QStringLiteral("Sunset over the harbour"))).has_value(), kWaitMs);
        QVERIFY(viewer().show(captioned->localId));
        QTRY_VERIFY_WITH_TIMEOUT(popup()->property("opened").toBool(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(item("viewerCaption") && item("viewerCaption")->isVisible(), kWaitMs);
        QCOMPARE(item("viewerCaption")->property("text").toString(), QStringLiteral("Sunset over the harbour"));
        // Under the picture, once the layout has placed the bar.
        QTRY_VERIFY_WITH_TIMEOUT(item("viewerCaption")->mapToScene(QPointF(0, 0)).y() >
                                     item("viewerImage")->mapToScene(QPointF(0, item("viewerImage")->height())).y(),
                                 kWaitMs);
        viewer().close();
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);

        const auto plain = ClientHarness::messagesOf(alice, m_chat).constFirst(); // harbour.png, sent without a caption
        QVERIFY(plain.media && plain.text.isEmpty());
        QVERIFY(viewer().show(plain.localId));
        QTRY_VERIFY_WITH_TIMEOUT(popup()->property("opened").toBool(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(viewer().fileName(), QStringLiteral("harbour.png"), kWaitMs);
        QVERIFY(!item("viewerCaption")->isVisible());
        viewer().close();
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);
    }

    // From the viewer, by keyboard: Ctrl+R closes it and the composer replies to the picture;
    // Ctrl+Shift+F offers the forward dialog; Delete the delete dialog, only "for me" for
    // Bob's picture. The buttons for them show, named with their keys.
    void aPictureIsRepliedToForwardedAndDeletedFromTheViewer() {
        auto* alice = m_app->controller().client();
        const auto picture = ClientHarness::messagesOf(alice, m_chat).constFirst(); // Bob's harbour.png
        QVERIFY(picture.media);
        auto* composing = m_app->controller().conversationView()->composing();
        const auto showPicture = [&] {
            if (!viewer().show(picture.localId)) return false;
            return QTest::qWaitFor([&] { return popup()->property("opened").toBool(); }, kWaitMs);
        };
        QVERIFY(showPicture());
        for (const char* name : {"viewerReplyButton", "viewerForwardButton", "viewerDeleteButton"})
            QTRY_VERIFY2_WITH_TIMEOUT(item(name) && item(name)->isVisible(), name, kWaitMs);
        QAccessibleInterface* reply = QAccessible::queryAccessibleInterface(item("viewerReplyButton"));
        QCOMPARE(reply ? reply->text(QAccessible::Name) : QString(), QStringLiteral("Reply to this picture (Ctrl+R)"));

        QTest::keyClick(m_app->window(), Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(composing->property("mode").toString(), QStringLiteral("reply"), kWaitMs);
        QCOMPARE(composing->property("targetId").toLongLong(), picture.localId);
        QMetaObject::invokeMethod(composing, "cancel");

        QVERIFY(showPicture());
        QTest::keyClick(m_app->window(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QObject* forward = m_app->window()->findChild<QObject*>(QStringLiteral("forwardDialog"));
        QTRY_VERIFY_WITH_TIMEOUT(forward->property("opened").toBool(), kWaitMs);
        QVERIFY(!popup()->property("opened").toBool());
        QMetaObject::invokeMethod(forward, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!forward->property("visible").toBool(), kWaitMs);

        QVERIFY(showPicture());
        QTest::keyClick(m_app->window(), Qt::Key_Delete);
        QObject* remove = m_app->window()->findChild<QObject*>(QStringLiteral("deleteMessageDialog"));
        QTRY_VERIFY_WITH_TIMEOUT(remove->property("opened").toBool(), kWaitMs);
        QCOMPARE(remove->property("localId").toLongLong(), picture.localId);
        QVERIFY(remove->property("forMe").toBool());
        QVERIFY(!remove->property("forEveryone").toBool()); // Bob's picture: not Alice's to delete for everyone
        QMetaObject::invokeMethod(remove, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!remove->property("visible").toBool(), kWaitMs);
        QVERIFY(alice->messageInfo(picture.localId)); // closing the dialog deleted nothing
    }

    // Previous / next walk the chat's pictures (Right and Left, or the buttons), skipping the
    // document and the text between them; at either end the button is disabled.
    void leftAndRightStepThroughTheChatsPictures() {
        auto* alice = m_app->controller().client();
        const auto pictures = [&] {
            QList<qint64> ids;
            for (const auto& m : ClientHarness::messagesOf(alice, m_chat))
                if (m.media && m.media->mime.startsWith(QStringLiteral("image/"))) ids << m.localId;
            return ids;
        }();
        QCOMPARE(pictures.size(), 2); // harbour.png, then the captioned one
        QVERIFY(viewer().show(pictures.front()));
        QQuickWindow* window = m_app->window();
        QTRY_VERIFY_WITH_TIMEOUT(popup()->property("opened").toBool(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!viewer().source().isEmpty(), kWaitMs);
        QVERIFY(!item("viewerPreviousButton")->property("enabled").toBool());
        QVERIFY(item("viewerNextButton")->property("enabled").toBool());
        QTest::keyClick(window, Qt::Key_Right);
        QTRY_COMPARE_WITH_TIMEOUT(viewer().localId(), pictures.back(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(item("viewerCaption")->isVisible(), kWaitMs);
        QVERIFY(item("viewerPreviousButton")->property("enabled").toBool());
        QVERIFY(!item("viewerNextButton")->property("enabled").toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!viewer().source().isEmpty(), kWaitMs);
        QTest::keyClick(window, Qt::Key_Right); // the last picture: stays
        QCOMPARE(viewer().localId(), pictures.back());
        QTest::keyClick(window, Qt::Key_Left);
        QTRY_COMPARE_WITH_TIMEOUT(viewer().localId(), pictures.front(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!viewer().source().isEmpty(), kWaitMs);
        QMetaObject::invokeMethod(item("viewerNextButton"), "clicked");
        QTRY_COMPARE_WITH_TIMEOUT(viewer().localId(), pictures.back(), kWaitMs);
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!popup()->property("opened").toBool(), kWaitMs);
    }

    void cleanupTestCase() {
        QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
        m_app.reset();
    }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopViewer)

#include "tst_desktop_viewer.moc"
