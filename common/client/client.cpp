#include "client/client.h"

#include "client/core/clock.h"
#include "client/crypto/group_cipher.h"
#include "client/crypto/pairwise_cipher.h"
#include "client/crypto/safety_number.h"
#include "client/crypto/signal_account.h"
#include "client/crypto/sqlcipher_key_store.h"
#include "client/messaging/account_sync.h"
#include "client/messaging/block_list_sync.h"
#include "client/messaging/chat_timers.h"
#include "client/messaging/device_directory.h"
#include "client/messaging/expiry_sweeper.h"
#include "client/messaging/follow_ups.h"
#include "client/messaging/group_directory.h"
#include "client/messaging/inbox.h"
#include "client/messaging/key_maintenance.h"
#include "client/messaging/media_transfer.h"
#include "client/messaging/message_actions.h"
#include "client/messaging/message_requests.h"
#include "client/messaging/outbox.h"
#include "client/messaging/presence_tracker.h"
#include "client/messaging/receipts.h"
#include "client/messaging/typing_tracker.h"
#include "client/models/chat_list_model.h"
#include "client/models/contact_list_model.h"
#include "client/models/message_list_model.h"
#include "client/net/api_client.h"
#include "client/store/account_store.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"
#include "protocol/e2e.h"
#include "protocol/identifiers.h"

#include <QDir>
#include <QLoggingCategory>
#include <QSysInfo>

#include <boost/json/value.hpp>

Q_LOGGING_CATEGORY(lcClient, "natter.client")

namespace natter::client {

namespace rest = protocol::rest;
using net::HttpMethod;

namespace {
template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;
} // namespace

Expected<std::unique_ptr<Client>> Client::open(const Options& options) {
    auto opened = store::ProfileStore::open(options.profile, options.dataRoot, options.prompt);
    if (!opened) return opened.error();
    std::unique_ptr<Client> client(new Client(std::move(*opened), options.server,
                                              options.clock ? options.clock : std::make_shared<SystemClock>()));
    auto account = client->m_store->account().load();
    if (!account) return account.error();
    if (*account) {
        client->m_account = **account;
        client->m_server = client->m_account.server;
    }
    if (!client->m_server.isValid() || client->m_server.isEmpty())
        client->m_server = QUrl(QStringLiteral("http://127.0.0.1:8787"));
    if (auto r = client->initCrypto(); !r) return r.error();
    client->m_api = new net::ApiClient(client->m_server, client.get());
    if (client->isRegistered()) {
        client->m_api->setCredentials(client->m_account.userId, client->m_account.deviceId, client->m_account.deviceSecret);
        client->startServices();
    }
    if (auto r = client->loadRevocation(); !r) return r.error();
    return client;
}

Client::Client(std::unique_ptr<store::ProfileStore> store, QUrl server, std::shared_ptr<Clock> clock)
    : m_store(std::move(store)), m_server(std::move(server)), m_clock(std::move(clock)) {}

Client::~Client() {
    // Services hold references to the crypto objects and the store: they go first.
    delete m_contactList;
    delete m_chatList;
    stopServices();
    delete m_api;
}

QString Client::profileDir() const { return m_store->directory(); }

Expected<void> Client::initCrypto() {
    m_keyStore = std::make_unique<crypto::SqlcipherKeyStore>(m_store->database());
    auto signal = crypto::SignalAccount::open(*m_keyStore);
    if (!signal) return signal.error();
    m_signal = std::move(*signal);
    m_pairwise = std::make_unique<crypto::PairwiseCipher>(*m_signal);
    m_groupCipher = std::make_unique<crypto::GroupCipher>(*m_signal);
    return {};
}

void Client::startServices() {
    if (m_connection) return;
    const Outbox::Identity self{m_account.userId, m_account.deviceId};
    m_connection = new net::Connection(*m_api, this);
    m_devices = new DeviceDirectory(*m_api, m_store->contacts(), m_store->deviceLists(), *m_signal, *m_pairwise,
                                    self.user, self.device, this);
    m_outbox = new Outbox(*m_store, *m_connection, *m_devices, *m_pairwise, *m_groupCipher, self, this);
    m_followUps = new FollowUps(this);
    m_actions = new MessageActions(*m_store, *m_outbox, self.user, this);
    m_timers = std::make_unique<ChatTimers>(*m_store, *m_outbox, self.user, [this](UserId u) { return displayNameOf(u); });
    m_expiry = new ExpirySweeper(*m_store, *m_actions, *m_clock, this);
    m_accountSync = new AccountSync(*m_store, *m_outbox, *m_devices, *m_followUps, self,
                                    [this] { return m_account.displayName; }, this);
    m_inbox = new Inbox(*m_store, *m_connection, *m_devices, *m_pairwise, *m_groupCipher, *m_outbox, *m_followUps,
                        *m_actions, *m_timers, *m_accountSync, self, this);
    m_receipts = new Receipts(*m_store, *m_connection, self.user, this);
    m_groups = new GroupDirectory(*m_store, *m_api, *m_connection, *m_groupCipher, *m_outbox, *m_followUps, self, this);
    m_requests = new MessageRequests(*m_store, *m_receipts, *m_actions, this);
    m_blocks = new BlockListSync(*m_store, *m_api, *m_followUps, this);
    // A message request's sender does not see this user typing (as no read receipts): the start
    // counts as not sent, so typing on once the request is accepted sends it.
    m_typing = new TypingTracker(
        [this](const protocol::TypingNotice& n) {
            if (m_requests && m_requests->isRequest(QString::fromStdString(n.chat_id))) return false;
            return m_connection->send(n);
        },
        this);
    m_presence = new PresenceTracker(*m_api, this);
    m_media = new MediaTransfer(*m_store, *m_api, *m_outbox, m_store->mediaDirectory(), this);
    m_keys = new KeyMaintenance(*m_api, *m_signal, this);

    connect(m_connection, &net::Connection::frameReceived, this, &Client::dispatch);
    connect(m_connection, &net::Connection::stateChanged, this, &Client::connectionStateChanged);
    connect(m_connection, &net::Connection::connected, this, [this] {
        m_synced = false;
        m_presence->clear();
        m_outbox->onConnected();
        m_receipts->onConnected();
        m_blocks->refresh();
        m_keys->rotateIfDue();
    });
    connect(m_connection, &net::Connection::syncCompleted, this, [this] {
        m_synced = true;
        // Started before `synced` goes out, so that whoever waits for it waits for these too.
        m_groups->refreshNameless();
        emit synced();
    });
    connect(m_connection, &net::Connection::disconnected, this, [this] {
        m_synced = false;
        m_outbox->onDisconnected();
    });
    connect(m_connection, &net::Connection::replaced, this,
            [this] { emit sessionEnded(tr("This profile connected from another place.")); });
    connect(m_connection, &net::Connection::unauthorized, this,
            [this](const QString& reason) { emit sessionEnded(tr("The server refused this device: %1").arg(reason)); });

    connect(m_outbox, &Outbox::messageUpdated, this, &Client::messageUpdated);
    connect(m_outbox, &Outbox::messageFailed, this, &Client::messageFailed);
    connect(m_inbox, &Inbox::messageAdded, this, &Client::messageAdded);
    connect(m_actions, &MessageActions::messageUpdated, this, &Client::messageUpdated);
    connect(m_actions, &MessageActions::messageRemoved, this, &Client::messageRemoved);
    connect(m_actions, &MessageActions::reactionReceived, this, &Client::reactionReceived);
    connect(m_actions, &MessageActions::chatChanged, this, &Client::chatsChanged);
    connect(m_inbox, &Inbox::messageUpdated, this, &Client::messageUpdated);
    connect(m_groups, &GroupDirectory::messageAdded, this, &Client::messageAdded);
    connect(m_inbox, &Inbox::messageAdded, m_media, &MediaTransfer::onMessageAdded);
    // Our own sent messages and group events fill seqs too: held messages may follow.
    connect(m_outbox, &Outbox::seqFilled, this, [this](const QString& chatId) { m_inbox->gate().recheck(chatId); });
    connect(m_groups, &GroupDirectory::messageAdded, this, [this](qint64, const QString& chatId) { m_inbox->gate().recheck(chatId); });
    connect(m_inbox, &Inbox::unknownGroup, m_groups, &GroupDirectory::refreshInBackground);
    connect(m_inbox, &Inbox::groupSecretReceived, m_groups, &GroupDirectory::refreshInBackground);
    connect(m_devices, &DeviceDirectory::identityChanged, this, &Client::onIdentityChanged);
    connect(m_devices, &DeviceDirectory::devicesChanged, this, &Client::onDevicesChanged);
    connect(m_groups, &GroupDirectory::groupChanged, this, &Client::groupChanged);
    connect(m_receipts, &Receipts::messageUpdated, this, &Client::messageUpdated);
    connect(m_receipts, &Receipts::chatRead, this, &Client::chatsChanged);
    connect(m_typing, &TypingTracker::typingChanged, this, &Client::typingChanged);
    connect(m_presence, &PresenceTracker::presenceChanged, this, &Client::presenceChanged);
    connect(m_media, &MediaTransfer::attachmentDownloaded, this, &Client::attachmentDownloaded);
    startAccountSync();
    connect(this, &Client::messageAdded, m_requests, &MessageRequests::onMessageAdded);
    connect(m_requests, &MessageRequests::requestsChanged, this, &Client::chatsChanged);
    connect(m_requests, &MessageRequests::requestsChanged, this, [this](const QString& chatId) {
        // Accepted here (not deleted, not blocked): the other devices of the account follow.
        auto chat = m_store->chats().byId(chatId);
        if (!chat || !*chat || (*chat)->request) return;
        if (auto r = m_accountSync->requestAccepted(**chat); !r)
            qCWarning(lcClient) << "cannot tell the other devices about an accepted request:" << r.error().message;
    });
    connect(m_accountSync, &AccountSync::requestDeletedElsewhere, this, [this](const QString& chatId) {
        // Only while it is a request here: a chat this device accepted meanwhile stays.
        if (auto r = m_requests->remove(chatId); !r && r.error().kind != ErrorKind::NotFound)
            qCWarning(lcClient) << "cannot delete a request deleted on another device:" << r.error().message;
    });
    connect(m_blocks, &BlockListSync::blocksChanged, this, [this] {
        // Blocked here or on another device of the account: their requests go on every device.
        if (auto blocked = m_blocks->blocked()) m_requests->removeRequestsFrom(*blocked);
        emit blocksChanged();
    });
    connect(this, &Client::messageAdded, this, &Client::chatsChanged);
    connect(this, &Client::groupChanged, this, &Client::chatsChanged);
    // Disappearing messages: a new or newly sent message may be the next to expire.
    connect(this, &Client::messageAdded, m_expiry, &ExpirySweeper::reschedule);
    connect(m_outbox, &Outbox::messageUpdated, m_expiry, &ExpirySweeper::reschedule);
    m_expiry->sweep();
}

void Client::stopServices() {
    // In reverse order of their dependencies: the connection goes last.
    const auto destroy = [](auto*& service) { delete std::exchange(service, nullptr); };
    destroy(m_keys);
    destroy(m_media);
    destroy(m_groups);
    destroy(m_blocks);
    destroy(m_requests);
    destroy(m_receipts);
    destroy(m_inbox);
    destroy(m_accountSync);
    destroy(m_expiry);
    m_timers.reset();
    destroy(m_actions);
    destroy(m_outbox);
    destroy(m_devices);
    destroy(m_followUps);
    destroy(m_typing);
    destroy(m_presence);
    destroy(m_connection);
}

void Client::dispatch(const protocol::ServerFrame& frame) {
    std::visit(Overloaded{
                   [this](const protocol::SentAck& f) { m_outbox->onSentAck(f); },
                   [this](const protocol::MessageDelivery& f) { m_inbox->onMessage(f); },
                   [this](const protocol::GroupEvent& f) { m_groups->onGroupEvent(f); },
                   [this](const protocol::ReceiptEvent& f) { m_receipts->onReceipt(f); },
                   [this](const protocol::IdentityChanged& f) { m_inbox->onIdentityChanged(f); },
                   [this](const protocol::PrekeysLow& f) { m_keys->onPrekeysLow(f); },
                   [this](const protocol::PresenceEvent& f) { m_presence->onPresence(f); },
                   [this](const protocol::TypingEvent& f) { m_typing->onRemoteTyping(f); },
                   [this](const protocol::BlocksChanged&) { m_blocks->refresh(); },
                   [this](const protocol::ErrorFrame& f) {
                       qCInfo(lcClient) << "server refused a request:" << QString::fromStdString(f.code);
                       m_outbox->onError(f);
                   },
                   [](const auto&) {},
               },
               frame);
}

// ---- account ------------------------------------------------------------------------

void Client::requestCode(const QString& phone, Callback<void> done) {
    m_api->call<rest::RegisterResponse>(HttpMethod::Post, QStringLiteral("/api/register"),
                                        rest::RegisterRequest{phone.toStdString()},
                                        [done](Expected<rest::RegisterResponse> r) {
                                            if (!r) done(r.error());
                                            else done({});
                                        });
}

void Client::verify(const QString& phone, const QString& code, const QString& displayName, Callback<void> done) {
    if (isRegistered() && !isRevoked()) {
        done(makeClientError(ErrorKind::InvalidArgument, tr("this profile is already registered")));
        return;
    }
    forgetRevokedCredentials();
    rest::VerifyRequest request{phone.toStdString(), code.toStdString(), QSysInfo::machineHostName().left(100).toStdString()};
    m_api->call<rest::VerifyResponse>(HttpMethod::Post, QStringLiteral("/api/verify"), request,
                                      [this, phone, displayName, done](Expected<rest::VerifyResponse> r) {
                                          if (!r) done(r.error());
                                          else adopt(*r, phone, displayName, done);
                                      });
}

void Client::adopt(const rest::VerifyResponse& verified, const QString& phone, const QString& displayName,
                   Callback<void> done) {
    if (auto r = startOverIfRevoked(); !r) {
        done(r.error());
        return;
    }
    m_account.server = m_server;
    m_account.userId = verified.user_id;
    m_account.deviceId = verified.device_id;
    m_account.phone = phone;
    m_account.deviceSecret = QByteArray::fromStdString(verified.device_secret);
    m_account.displayName = displayName;
    if (auto r = m_store->account().save(m_account); !r) {
        done(r.error());
        return;
    }
    m_api->setCredentials(m_account.userId, m_account.deviceId, m_account.deviceSecret);
    m_api->setAccessToken(QString::fromStdString(verified.access_token), verified.expires_in);
    startServices();
    m_keys->publish([this, displayName, done](Expected<void> published) {
        if (!published) {
            done(published.error());
            return;
        }
        publishDeviceList(std::nullopt, [this, displayName, done](Expected<void> listed) {
            if (!listed) {
                done(listed.error());
                return;
            }
            finishRegistration(displayName, done);
        });
    });
}

void Client::finishRegistration(const QString& displayName, Callback<void> done) {
    auto finish = [this, done](Expected<boost::json::value>) {
        emit registered();
        done({});
    };
    if (displayName.isEmpty()) {
        finish(boost::json::value());
        return;
    }
    rest::ProfileUpdate update;
    update.display_name = displayName.toStdString();
    m_api->call<boost::json::value>(HttpMethod::Put, QStringLiteral("/api/profile"), update, finish);
}

// ---- connection ---------------------------------------------------------------------

void Client::connectToServer() {
    if (m_connection && !isRevoked()) m_connection->start();
}

void Client::disconnectFromServer() {
    if (m_connection) m_connection->stop();
}

net::Connection::State Client::connectionState() const {
    return m_connection ? m_connection->state() : net::Connection::State::Offline;
}

} // namespace natter::client
