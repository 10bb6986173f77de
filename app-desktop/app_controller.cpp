// AppController: opening the profile, onboarding and the main screen's state.
#include "app_controller.h"

#include "conversation_view.h"
#include "formatting.h"
#include "image_providers.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/models/chat_list_model.h"
#include "client/models/contact_list_model.h"
#include "client/store/profile.h"

#include <QDateTime>
#include <QDir>

namespace natter::desktop {

using client::Client;
using client::ErrorKind;

namespace {
const QString kDefaultServer = QStringLiteral("http://127.0.0.1:8787");
} // namespace

AppController::AppController(Options options, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_thumbnails(std::make_unique<ThumbnailCache>()),
      m_viewer(new ImageViewer(this)) {
    connect(this, &AppController::clientReady, m_viewer, &ImageViewer::attach);
}

AppController::~AppController() {
    delete m_conversation; // before the client whose models it holds
}

QString AppController::defaultServer() const {
    return m_options.server.isEmpty() ? kDefaultServer : m_options.server.toString();
}

void AppController::setScreen(const QString& screen) {
    m_screen = screen;
    emit screenChanged();
}

void AppController::setOnboarding(const QString& step, const QString& error, bool busy) {
    m_onboardingStep = step;
    m_onboardingError = error;
    m_busy = busy;
    emit onboardingChanged();
}

void AppController::start() {
    if (!client::store::ProfilePaths::isValidName(m_options.profile)) {
        m_errorTitle = tr("Unknown profile name");
        m_errorText = tr("A profile name uses letters, digits, '.', '_' and '-' only (up to 64 characters).");
        setScreen(QStringLiteral("error"));
        emit settled();
        return;
    }
    auto paths = client::store::ProfilePaths::forName(m_options.profile, m_options.dataRoot);
    m_newProfile = paths && !paths->exists();
    if (openClient()) return;
    emit settled();
}

bool AppController::openClient() {
    Client::Options options;
    options.profile = m_options.profile;
    options.dataRoot = m_options.dataRoot;
    options.server = QUrl(defaultServer());
    options.prompt = [this]() { return m_typedPassphrase; };
    auto opened = Client::open(options);
    if (!opened) {
        const auto& error = opened.error();
        const bool fromEnvironment = qEnvironmentVariableIsSet("NATTER_PASSPHRASE") && !m_typedPassphrase;
        if (error.kind == ErrorKind::WrongPassphrase && fromEnvironment) {
            m_errorTitle = tr("Wrong passphrase");
            m_errorText = tr("The passphrase in NATTER_PASSPHRASE does not open the profile “%1”. Start Natter with "
                             "the right one, or unset it to type the passphrase here.").arg(m_options.profile);
            setScreen(QStringLiteral("error"));
        } else if (error.kind == ErrorKind::WrongPassphrase) {
            m_typedPassphrase.reset();
            m_passphraseError = tr("That passphrase does not open this profile. Try again.");
            setScreen(QStringLiteral("passphrase"));
        } else if (error.kind == ErrorKind::StoreLocked) {
            m_errorTitle = tr("Profile in use");
            m_errorText = tr("The profile “%1” is open in another Natter program (%2). Close it, then try again.")
                              .arg(m_options.profile, error.message);
            setScreen(QStringLiteral("error"));
        } else if (error.kind == ErrorKind::InvalidArgument && !m_typedPassphrase && !fromEnvironment) {
            m_passphraseError.clear();
            setScreen(QStringLiteral("passphrase"));
        } else {
            m_errorTitle = tr("Cannot open the profile");
            m_errorText = error.message;
            setScreen(QStringLiteral("error"));
        }
        return false;
    }
    m_client = std::move(*opened);
    m_openedServer = options.server;
    m_newProfile = false;
    if (m_client->isRegistered()) {
        enterMain();
    } else {
        setOnboarding(QStringLiteral("phone"), {}, false);
        setScreen(QStringLiteral("onboarding"));
        emit settled();
    }
    return true;
}

bool AppController::reopenWithServer(const QUrl& server) {
    if (m_client && server == m_openedServer) return true;
    delete m_conversation;
    m_client.reset();
    m_options.server = server;
    return openClient();
}

void AppController::submitPassphrase(const QString& passphrase) {
    if (passphrase.isEmpty()) {
        m_passphraseError = tr("Enter the passphrase.");
        emit screenChanged();
        return;
    }
    m_typedPassphrase = passphrase.toUtf8();
    setScreen(QStringLiteral("loading"));
    openClient();
}

void AppController::retry() {
    setScreen(QStringLiteral("loading"));
    start();
}

void AppController::enterMain() {
    Client* c = m_client.get();
    // Pasted images left behind by a run that ended before sending them.
    if (const QString cache = cacheDirectory(); !cache.isEmpty()) QDir(cache).removeRecursively();
    connect(c, &Client::connectionStateChanged, this, [this](client::net::Connection::State state) {
        const bool online = state == client::net::Connection::State::Online;
        if (online) m_wasOnline = true;
        m_connectionLost = m_wasOnline && (state == client::net::Connection::State::Offline ||
                                          state == client::net::Connection::State::Connecting);
        emit connectionChanged();
    });
    connect(c, &Client::synced, this, &AppController::settled);
    connect(c, &Client::historyTransferProgress, this, [this](qint64 received, qint64 total) {
        m_historyProgress = received < total ? tr("History from your other device: %1 of %2 messages").arg(received).arg(total)
                                             : QString();
        emit historyProgressChanged();
    });
    connect(c, &Client::sessionEnded, this, [this](const QString& reason) {
        m_errorTitle = tr("Signed out");
        m_errorText = reason;
        setScreen(QStringLiteral("error"));
    });
    setScreen(QStringLiteral("main"));
    emit accountChanged();
    emit selfChanged();
    emit clientReady(c);
    if (c->isRevoked()) {
        // Revoked while the app was closed: say so at once, as when it happens live.
        m_errorTitle = tr("Signed out");
        m_errorText = c->revokedError().message;
        setScreen(QStringLiteral("error"));
        return;
    }
    c->connectToServer();
}

namespace {
QString friendly(const client::ClientError& error, const QUrl& server) {
    if (error.kind == ErrorKind::Network)
        return AppController::tr("Cannot reach %1. Check the address and that the server is running.").arg(server.toString());
    if (error.serverCode == QLatin1String("verification_failed"))
        return AppController::tr("That code is wrong or has expired.");
    return error.message;
}
} // namespace

void AppController::requestCode(const QString& server, const QString& phone) {
    m_onboardingSection = QStringLiteral("register");
    if (QString problem = serverProblem(server); !problem.isEmpty()) return setOnboarding(QStringLiteral("phone"), problem, false);
    if (QString problem = phoneProblem(phone); !problem.isEmpty()) return setOnboarding(QStringLiteral("phone"), problem, false);
    const QUrl url(server.trimmed());
    if (!reopenWithServer(url)) return;
    m_pendingPhone = normalizePhone(phone);
    setOnboarding(QStringLiteral("phone"), {}, true);
    QPointer<AppController> self(this);
    m_client->requestCode(m_pendingPhone, [self, url](client::Expected<void> r) {
        if (!self) return;
        if (r) self->setOnboarding(QStringLiteral("code"), {}, false);
        else self->setOnboarding(QStringLiteral("phone"), friendly(r.error(), url), false);
    });
}

void AppController::verifyCode(const QString& code, const QString& displayName) {
    m_onboardingSection = QStringLiteral("code");
    if (QString problem = codeProblem(code); !problem.isEmpty()) return setOnboarding(QStringLiteral("code"), problem, false);
    if (displayName.trimmed().isEmpty()) return setOnboarding(QStringLiteral("code"), tr("Enter the name others will see."), false);
    setOnboarding(QStringLiteral("code"), {}, true);
    QPointer<AppController> self(this);
    const QUrl server = m_openedServer;
    m_client->verify(m_pendingPhone, code.trimmed(), displayName.trimmed(), [self, server](client::Expected<void> r) {
        if (!self) return;
        if (!r) return self->setOnboarding(QStringLiteral("code"), friendly(r.error(), server), false);
        self->setOnboarding(QStringLiteral("done"), {}, false);
        self->enterMain();
    });
}

void AppController::linkDevice(const QString& server, const QString& code, const QString& deviceName, bool withHistory) {
    m_onboardingSection = QStringLiteral("link");
    if (QString problem = serverProblem(server); !problem.isEmpty()) return setOnboarding(QStringLiteral("phone"), problem, false);
    if (code.trimmed().isEmpty()) return setOnboarding(QStringLiteral("phone"), tr("Enter the link code shown on your other device."), false);
    const QUrl url(server.trimmed());
    if (!reopenWithServer(url)) return;
    setOnboarding(QStringLiteral("phone"), {}, true);
    const QString name = deviceName.trimmed().isEmpty() ? tr("Desktop") : deviceName.trimmed();
    QPointer<AppController> self(this);
    m_client->linkWithCode(code.trimmed(), name, withHistory, [self, url](client::Expected<void> r) {
        if (!self) return;
        if (!r) return self->setOnboarding(QStringLiteral("phone"), friendly(r.error(), url), false);
        self->setOnboarding(QStringLiteral("done"), {}, false);
        self->enterMain();
    });
}

void AppController::backToPhone() { setOnboarding(QStringLiteral("phone"), {}, false); }

QString AppController::selfName() const {
    if (!m_client) return {};
    const auto& a = m_client->account();
    return a.displayName.isEmpty() ? a.phone : a.displayName;
}

QString AppController::selfAbout() const {
    return m_client && m_client->isRegistered() ? m_client->aboutOf(m_client->account().userId) : QString();
}

QString AppController::selfPhone() const { return m_client ? m_client->account().phone : QString(); }
QObject* AppController::chats() const { return m_client && m_client->isRegistered() ? m_client->chatList() : nullptr; }
QObject* AppController::contacts() const { return m_client && m_client->isRegistered() ? m_client->contactList() : nullptr; }
QObject* AppController::conversation() const { return m_conversation; }
QString AppController::currentChatId() const { return m_conversation ? m_conversation->chatId() : QString(); }

QString AppController::connectionState() const {
    if (!m_client) return QStringLiteral("offline");
    switch (m_client->connectionState()) {
    case client::net::Connection::State::Online: return QStringLiteral("online");
    case client::net::Connection::State::Syncing: return QStringLiteral("syncing");
    case client::net::Connection::State::Connecting: return QStringLiteral("connecting");
    case client::net::Connection::State::Offline: break;
    }
    return QStringLiteral("offline");
}

bool AppController::messagePreviews() const {
    return m_settings.value(QStringLiteral("notifications/previews"), true).toBool();
}

void AppController::setMessagePreviews(bool show) {
    if (show == messagePreviews()) return;
    m_settings.setValue(QStringLiteral("notifications/previews"), show);
    emit settingsChanged();
}

bool AppController::notificationSound() const {
    return m_settings.value(QStringLiteral("notifications/sound"), true).toBool();
}

void AppController::setNotificationSound(bool on) {
    if (on == notificationSound()) return;
    m_settings.setValue(QStringLiteral("notifications/sound"), on);
    emit settingsChanged();
}

QString AppController::cacheDirectory() const {
    auto paths = client::store::ProfilePaths::forName(m_options.profile, m_options.dataRoot);
    return paths ? paths->directory() + QStringLiteral("/cache") : QString();
}

bool AppController::openChat(const QString& who) {
    if (!m_client || !m_client->isRegistered()) return false;
    auto chatId = m_client->resolveChat(who);
    if (!chatId) {
        emit actionFailed(chatId.error().message);
        return false;
    }
    if (m_conversation && m_conversation->chatId() == *chatId) return true;
    ConversationView* previous = m_conversation;
    auto* view = new ConversationView(*m_client, *chatId, *m_thumbnails, cacheDirectory(), this);
    connect(view, &ConversationView::failed, this, &AppController::actionFailed);
    connect(view, &ConversationView::notice, this, &AppController::notice);
    connect(view, &ConversationView::left, this, &AppController::closeChat);
    m_conversation = view;
    emit conversationChanged();
    if (previous) previous->deleteLater(); // after QML let go of it
    return true;
}

void AppController::closeChat() {
    if (!m_conversation) return;
    m_conversation->deleteLater();
    m_conversation = nullptr;
    emit conversationChanged();
}

void AppController::stepChat(int delta) {
    if (!m_client) return;
    auto* list = m_client->chatList();
    const int count = list->rowCount();
    if (count == 0) return;
    int row = -1;
    for (int i = 0; i < count; ++i)
        if (list->at(i)->chatId == currentChatId()) row = i;
    const int next = row < 0 ? (delta > 0 ? 0 : count - 1) : ((row + delta) % count + count) % count;
    openChat(list->at(next)->chatId);
}

void AppController::setChatFilter(const QString& text) {
    if (m_client && m_client->isRegistered()) m_client->chatList()->setFilter(text);
}

void AppController::addContact(const QString& phone, const QString& name) {
    if (QString problem = phoneProblem(phone); !problem.isEmpty()) return emit actionFailed(problem);
    QPointer<AppController> self(this);
    m_client->addContact(normalizePhone(phone), name.trimmed(), [self](client::Expected<client::ContactRecord> r) {
        if (!self) return;
        if (!r) return emit self->actionFailed(r.error().message);
        emit self->contactAdded(r->userId, r->name);
        emit self->notice(tr("%1 added to your contacts").arg(r->name));
    });
}

void AppController::startChatWith(qulonglong userId) {
    const auto contact = m_client ? m_client->contactInfo(userId) : std::nullopt;
    if (contact) openChat(contact->phone);
}

void AppController::createGroup(const QString& name, const QVariantList& userIds) {
    if (name.trimmed().isEmpty()) return emit actionFailed(tr("Give the group a name."));
    std::vector<client::UserId> members;
    for (const auto& v : userIds) members.push_back(v.toULongLong());
    QPointer<AppController> self(this);
    m_client->groups().create(name.trimmed(), members, [self](client::Expected<QString> r) {
        if (!self) return;
        if (!r) return emit self->actionFailed(r.error().message);
        self->openChat(*r);
    });
}

void AppController::setPrivacy(const QString& key, const QString& value) {
    QPointer<AppController> self(this);
    m_client->setPrivacy(key, value, [self](client::Expected<void> r) {
        if (!self) return;
        if (r) emit self->notice(tr("Privacy setting saved"));
        else emit self->actionFailed(r.error().message);
        self->loadPrivacy(); // the dialog shows what the server holds, also after a refusal
    });
}

void AppController::setSelfName(const QString& name) {
    if (!m_client) return;
    QPointer<AppController> self(this);
    m_client->setProfileName(name, [self](client::Expected<void> r) {
        if (!self) return;
        if (r) emit self->notice(tr("Name saved"));
        else emit self->actionFailed(tr("Could not change the name: %1").arg(r.error().message));
        emit self->selfChanged(); // the field shows the saved name, also after a refusal
    });
}

void AppController::setSelfAbout(const QString& about) {
    if (!m_client) return;
    if (auto r = m_client->setProfileAbout(about.trimmed()); r) emit notice(about.trimmed().isEmpty() ? tr("About removed") : tr("About saved"));
    else emit actionFailed(tr("Could not change the about text: %1").arg(r.error().message));
    emit selfChanged(); // the field shows the saved text, also after a refusal
}

void AppController::loadPrivacy() {
    if (!m_client || !m_client->isRegistered()) return;
    QPointer<AppController> self(this);
    m_client->privacy([self](client::Expected<protocol::rest::PrivacySettings> r) {
        if (!self) return;
        if (!r) return emit self->actionFailed(tr("Could not load the privacy settings: %1").arg(r.error().message));
        const auto name = [](const std::optional<protocol::Visibility>& v) {
            if (v == protocol::Visibility::contacts) return QStringLiteral("contacts");
            if (v == protocol::Visibility::nobody) return QStringLiteral("nobody");
            return QStringLiteral("everyone");
        };
        self->m_privacy = {{QStringLiteral("lastSeen"), name(r->last_seen)},
                           {QStringLiteral("online"), name(r->online)},
                           {QStringLiteral("readReceipts"), r->read_receipts.value_or(true)}};
        emit self->privacyChanged();
    });
}

void AppController::createLinkCode() {
    QPointer<AppController> self(this);
    m_client->createLinkCode([self](client::Expected<QString> r) {
        if (!self) return;
        // The QR code holds the code's text, as `natter link code` prints it in the terminal.
        if (r) emit self->linkCodeReady(*r, qrImageUrl(r->toUtf8()));
        else emit self->actionFailed(r.error().message);
    });
}

void AppController::loadDevices() {
    QPointer<AppController> self(this);
    m_client->devices([self](client::Expected<protocol::rest::DeviceList> r) {
        if (!self) return;
        if (!r) return emit self->actionFailed(r.error().message);
        QVariantList devices;
        for (const auto& d : r->devices)
            devices.append(QVariantMap{{QStringLiteral("deviceId"), qulonglong(d.device_id)},
                                       {QStringLiteral("name"), QString::fromStdString(d.name)},
                                       {QStringLiteral("thisDevice"), d.device_id == self->m_client->account().deviceId},
                                       {QStringLiteral("created"), QDateTime::fromMSecsSinceEpoch(d.created_at)}});
        self->m_devices = devices;
        emit self->devicesChanged();
    });
}

void AppController::unlinkDevice(qulonglong deviceId) {
    if (deviceId == m_client->account().deviceId) return emit actionFailed(tr("This device cannot unlink itself here."));
    QPointer<AppController> self(this);
    m_client->unlinkDevice(protocol::DeviceId(deviceId), [self](client::Expected<void> r) {
        if (!self) return;
        if (!r) return emit self->actionFailed(r.error().message);
        self->loadDevices();
    });
}

void AppController::setChatFlags(const QString& chatId, bool pinned, bool muted, bool archived) {
    if (auto r = m_client->setChatFlags(chatId, pinned, muted, archived); !r) emit actionFailed(r.error().message);
}

void AppController::setDisappearing(const QString& chatId, int seconds) {
    if (seconds < 0) return emit actionFailed(tr("%1 seconds is not a disappearing-messages timer").arg(seconds));
    if (auto r = m_client->setDisappearing(chatId, quint32(seconds)); !r) emit actionFailed(r.error().message);
}

void AppController::setShowArchived(bool show) {
    if (show == m_showArchived) return;
    m_showArchived = show;
    if (m_client && m_client->isRegistered()) m_client->chatList()->setShowArchived(show);
    emit settingsChanged();
}

void AppController::loadSafetyNumber(qulonglong userId) {
    QPointer<AppController> self(this);
    m_client->safetyNumber(userId, [self, userId](client::Expected<Client::SafetyNumberView> r) {
        if (!self) return;
        if (!r) return emit self->actionFailed(r.error().message);
        emit self->safetyNumberReady(userId, r->digits, qrImageUrl(r->scannable));
    });
}

void AppController::acknowledgeIdentity(qulonglong userId) {
    if (auto r = m_client->acknowledgeIdentity(userId); !r) emit actionFailed(r.error().message);
    if (m_conversation) emit m_conversation->headerChanged();
}

} // namespace natter::desktop
