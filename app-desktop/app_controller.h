// The desktop app's state behind the QML: opening the profile (passphrase, locked, errors),
// onboarding, the chat list and the open conversation, connection state, and the account
// actions of the side screens (contacts, groups, privacy, safety numbers, linked devices).
#pragma once

#include "conversation_view.h"
#include "image_viewer.h"

#include <QObject>
#include <QPointer>
#include <QSettings>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>

#include <memory>
#include <optional>

namespace natter::client { class Client; class ChatListModel; }

namespace natter::desktop {

class ThumbnailCache;

class AppController : public QObject {
    Q_OBJECT
    // "loading", "passphrase", "error", "onboarding", "main"
    Q_PROPERTY(QString screen READ screen NOTIFY screenChanged)
    Q_PROPERTY(QString errorTitle READ errorTitle NOTIFY screenChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY screenChanged)
    Q_PROPERTY(QString passphraseError READ passphraseError NOTIFY screenChanged)
    Q_PROPERTY(bool newProfile READ newProfile NOTIFY screenChanged)
    Q_PROPERTY(QString profileName READ profileName CONSTANT)
    // Onboarding: "phone" (server + phone, or link code), then "code".
    Q_PROPERTY(QString onboardingStep READ onboardingStep NOTIFY onboardingChanged)
    Q_PROPERTY(QString onboardingError READ onboardingError NOTIFY onboardingChanged)
    // Where the error belongs: "register" (server and phone), "link" (link code) or "code".
    Q_PROPERTY(QString onboardingErrorSection READ onboardingErrorSection NOTIFY onboardingChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY onboardingChanged)
    Q_PROPERTY(QString defaultServer READ defaultServer CONSTANT)
    Q_PROPERTY(QString selfName READ selfName NOTIFY selfChanged)
    // The account's about text, as others see it with its name (empty: none).
    Q_PROPERTY(QString selfAbout READ selfAbout NOTIFY selfChanged)
    Q_PROPERTY(QString selfPhone READ selfPhone NOTIFY selfChanged)
    Q_PROPERTY(QObject* chats READ chats NOTIFY accountChanged)
    Q_PROPERTY(QObject* contacts READ contacts NOTIFY accountChanged)
    Q_PROPERTY(QObject* conversation READ conversation NOTIFY conversationChanged)
    Q_PROPERTY(QString currentChatId READ currentChatId NOTIFY conversationChanged)
    // "offline", "connecting", "syncing", "online"
    Q_PROPERTY(QString connectionState READ connectionState NOTIFY connectionChanged)
    // "History from your other device: 120 of 500 messages" while it arrives; empty otherwise.
    Q_PROPERTY(QString historyProgress READ historyProgress NOTIFY historyProgressChanged)
    // Set once the app was online and the connection dropped; cleared when online again.
    Q_PROPERTY(bool connectionLost READ connectionLost NOTIFY connectionChanged)
    // "Message previews": notifications show who wrote and what; off, they only say "New message".
    Q_PROPERTY(bool messagePreviews READ messagePreviews WRITE setMessagePreviews NOTIFY settingsChanged)
    // Notifications ask the desktop to play its "new message" sound (on by default).
    Q_PROPERTY(bool notificationSound READ notificationSound WRITE setNotificationSound NOTIFY settingsChanged)
    // The server's privacy settings once loaded: {lastSeen, online: everyone|contacts|nobody,
    // readReceipts: bool}; empty until loadPrivacy() answered.
    Q_PROPERTY(QVariantMap privacy READ privacy NOTIFY privacyChanged)
    Q_PROPERTY(QVariantList devices READ devices NOTIFY devicesChanged)
    Q_PROPERTY(bool showArchived READ showArchived WRITE setShowArchived NOTIFY settingsChanged)
    // The in-app picture viewer (ImageViewer).
    Q_PROPERTY(QObject* viewer READ viewer CONSTANT)
public:
    struct Options {
        QString profile = QStringLiteral("default");
        QUrl server;      // --server: for registration (a registered profile keeps its own)
        QString dataRoot; // empty: the XDG data dir
    };
    explicit AppController(Options options, QObject* parent = nullptr);
    ~AppController() override;

    // Opens the profile (NATTER_PASSPHRASE or keychain; else the passphrase screen).
    void start();
    client::Client* client() const { return m_client.get(); }
    ThumbnailCache& thumbnails() { return *m_thumbnails; }
    ImageViewer& imageViewer() { return *m_viewer; }
    QObject* viewer() const { return m_viewer; }

    QString screen() const { return m_screen; }
    QString errorTitle() const { return m_errorTitle; }
    QString errorText() const { return m_errorText; }
    QString passphraseError() const { return m_passphraseError; }
    bool newProfile() const { return m_newProfile; }
    QString profileName() const { return m_options.profile; }
    QString onboardingStep() const { return m_onboardingStep; }
    QString onboardingError() const { return m_onboardingError; }
    QString onboardingErrorSection() const { return m_onboardingSection; }
    bool busy() const { return m_busy; }
    QString defaultServer() const;
    QString selfName() const;
    QString selfAbout() const;
    QString selfPhone() const;
    QObject* chats() const;
    QObject* contacts() const;
    QObject* conversation() const;
    ConversationView* conversationView() const { return m_conversation; }
    QString currentChatId() const;
    QString connectionState() const;
    QString historyProgress() const { return m_historyProgress; }
    bool connectionLost() const { return m_connectionLost; }
    bool messagePreviews() const;
    void setMessagePreviews(bool show);
    bool notificationSound() const;
    void setNotificationSound(bool on);
    QVariantMap privacy() const { return m_privacy; }
    QVariantList devices() const { return m_devices; }
    bool showArchived() const { return m_showArchived; }
    void setShowArchived(bool show);
    // Where pasted images wait until they are sent: <profile dir>/cache (empty without a profile).
    QString cacheDirectory() const;

    Q_INVOKABLE void submitPassphrase(const QString& passphrase);
    Q_INVOKABLE void retry();
    Q_INVOKABLE void requestCode(const QString& server, const QString& phone);
    Q_INVOKABLE void verifyCode(const QString& code, const QString& displayName);
    // withHistory: the account's message history follows (the user ticked it at link time).
    Q_INVOKABLE void linkDevice(const QString& server, const QString& code, const QString& deviceName,
                                bool withHistory = false);
    Q_INVOKABLE void backToPhone();

    // A chat id, phone number or contact name; false when it names no chat.
    Q_INVOKABLE bool openChat(const QString& who);
    Q_INVOKABLE void closeChat();
    // Moves delta rows down (+1) or up (-1) the chat list, wrapping around.
    Q_INVOKABLE void stepChat(int delta);
    Q_INVOKABLE void setChatFilter(const QString& text);
    Q_INVOKABLE void addContact(const QString& phone, const QString& name);
    Q_INVOKABLE void startChatWith(qulonglong userId);
    Q_INVOKABLE void createGroup(const QString& name, const QVariantList& userIds);
    Q_INVOKABLE void setPrivacy(const QString& key, const QString& value);
    // The name others see (natterd's profile and the account's other devices); 1 to 100 bytes.
    Q_INVOKABLE void setSelfName(const QString& name);
    // Empty removes it; over 140 bytes is refused (actionFailed) and nothing changes.
    Q_INVOKABLE void setSelfAbout(const QString& about);
    // Fetches the privacy settings from the server into `privacy`.
    Q_INVOKABLE void loadPrivacy();
    Q_INVOKABLE void createLinkCode();
    // Linked devices: GET /api/devices into `devices` ({deviceId, name, thisDevice, created}).
    Q_INVOKABLE void loadDevices();
    Q_INVOKABLE void unlinkDevice(qulonglong deviceId);
    // Chat list actions (this device only): pinned first, muted without badge count, archived hidden.
    Q_INVOKABLE void setChatFlags(const QString& chatId, bool pinned, bool muted, bool archived);
    // Disappearing messages for what is sent in the chat from now on (0: off); for every member.
    Q_INVOKABLE void setDisappearing(const QString& chatId, int seconds);
    Q_INVOKABLE void loadSafetyNumber(qulonglong userId);
    Q_INVOKABLE void acknowledgeIdentity(qulonglong userId);

signals:
    void screenChanged();
    void historyProgressChanged();
    void onboardingChanged();
    void accountChanged();
    // The own name or number changed (also with accountChanged).
    void selfChanged();
    void conversationChanged();
    void connectionChanged();
    void settingsChanged();
    void privacyChanged();
    void devicesChanged();
    // Startup has settled: synced, or offline / not on the main screen (for --screenshot).
    void settled();
    void notice(const QString& message);
    void actionFailed(const QString& message);
    void contactAdded(qulonglong userId, const QString& name);
    // qrSource: "image://qr/..." of the same code, for another device's camera.
    void linkCodeReady(const QString& code, const QString& qrSource);
    void safetyNumberReady(qulonglong userId, const QString& digits, const QString& qrSource);
    // The profile is open and registered: where the profile's JSON-RPC socket
    // (natter::client::rpc::RpcServer over this Client) is attached, see DesktopApp.
    void clientReady(natter::client::Client* client);

private:
    bool openClient();
    void enterMain();
    void setScreen(const QString& screen);
    void setOnboarding(const QString& step, const QString& error, bool busy);
    bool reopenWithServer(const QUrl& server);

    Options m_options;
    std::unique_ptr<ThumbnailCache> m_thumbnails;
    ImageViewer* m_viewer; // child
    std::unique_ptr<client::Client> m_client;
    std::optional<QByteArray> m_typedPassphrase; // secret: only handed to the store
    QPointer<ConversationView> m_conversation;
    QSettings m_settings;
    QVariantMap m_privacy;
    QVariantList m_devices;
    bool m_showArchived = false;
    QString m_screen = QStringLiteral("loading");
    QString m_errorTitle;
    QString m_historyProgress;
    QString m_errorText;
    QString m_passphraseError;
    bool m_newProfile = false;
    QString m_onboardingStep = QStringLiteral("phone");
    QString m_onboardingError;
    QString m_onboardingSection = QStringLiteral("register");
    bool m_busy = false;
    QString m_pendingPhone;
    QUrl m_openedServer;
    bool m_connectionLost = false;
    bool m_wasOnline = false;
};

} // namespace natter::desktop
