// DesktopApp: wires the controller, the QML engine, the image providers and the tray.
#include "desktop_app.h"

#include "appearance.h"
#include "autostart.h"
#include "icon_provider.h"
#include "image_providers.h"
#include "plural_forms.h"
#include "portal_color_scheme.h"
#include "profile_archive.h"
#include "qml_format.h"
#include "tray_notifier.h"

#include "client/client.h"
#include "client/rpc/rpc_server.h"

#include <natter/version.h>

#include <QCoreApplication>
#include <QQmlContext>
#include <QQuickWindow>

namespace natter::desktop {

DesktopApp::DesktopApp(AppController::Options options, QObject* parent)
    : QObject(parent), m_controller(new AppController(std::move(options), this)) {
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion)); // About in the settings shows it
    m_tray = new TrayNotifier(*m_controller, this);
    m_appearance = new Appearance(m_controller->profileName(), this);
    m_autostart = new Autostart(m_controller->profileName(), {}, this);
    m_archive = new ProfileArchive(*m_controller, this);
    m_portal = new PortalColorScheme(this);
    connect(m_portal, &PortalColorScheme::schemeChanged, m_appearance, &Appearance::setDesktopScheme);
    m_plurals = std::make_unique<PluralForms>();
    QCoreApplication::installTranslator(m_plurals.get());
    m_engine.addImageProvider(QStringLiteral("icon"), new IconProvider);
    m_engine.addImageProvider(QStringLiteral("thumb"), new ThumbnailProvider(m_controller->thumbnails()));
    m_engine.addImageProvider(QStringLiteral("attachment"), new AttachmentProvider(m_controller->imageViewer().images()));
    m_engine.addImageProvider(QStringLiteral("qr"), new QrProvider);
    m_engine.rootContext()->setContextProperty(QStringLiteral("app"), m_controller);
    m_engine.rootContext()->setContextProperty(QStringLiteral("fmt"), new QmlFormat(this));
    m_engine.rootContext()->setContextProperty(QStringLiteral("appearance"), m_appearance);
    m_engine.rootContext()->setContextProperty(QStringLiteral("autostart"), m_autostart);
    m_engine.rootContext()->setContextProperty(QStringLiteral("archive"), m_archive);
    connect(m_controller, &AppController::clientReady, this, [this](client::Client* c) {
        m_rpc = std::make_unique<client::rpc::RpcServer>(*c);
        if (auto served = m_rpc->listen(); !served) {
            qWarning("natter-desktop: %s", qPrintable(served.error().message));
            m_rpc.reset();
        }
    });
}

DesktopApp::~DesktopApp() {
    m_rpc.reset();
    // The QML goes first: its bindings read the controller's models.
    const auto roots = m_engine.rootObjects();
    for (QObject* root : roots) delete root;
    QCoreApplication::removeTranslator(m_plurals.get());
}

bool DesktopApp::start(bool minimized) {
    m_engine.rootContext()->setContextProperty(QStringLiteral("startMinimized"), minimized);
    m_engine.load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
    if (m_engine.rootObjects().isEmpty()) return false;
    m_tray->setWindow(window());
    if (minimized) {
        // Without a tray a hidden window could not be reached: it starts iconified instead.
        if (!m_tray->hasTrayIcon()) window()->showMinimized();
        // Whatever needs the user brings the window up.
        connect(m_controller, &AppController::screenChanged, this, [this] {
            const QString screen = m_controller->screen();
            if (screen != QStringLiteral("main") && screen != QStringLiteral("loading")) m_tray->showWindow();
        });
    }
    m_controller->start();
    // After the window's first frame: the bus connection is not on the start-up path.
    connect(window(), &QQuickWindow::frameSwapped, m_portal, &PortalColorScheme::start, Qt::SingleShotConnection);
    return true;
}

QQuickWindow* DesktopApp::window() const {
    const auto roots = m_engine.rootObjects();
    return roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(roots.front());
}

} // namespace natter::desktop
