#include "client/messaging/account_sync.h"

#include "client/messaging/new_chat.h"

#include "client/core/bytes.h"
#include "client/messaging/device_directory.h"
#include "client/messaging/follow_ups.h"
#include "client/messaging/history_transfer.h"
#include "client/messaging/profile_names.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/database.h"
#include "client/store/group_store.h"
#include "client/store/peer_profile_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QPointer>

#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcAccountSync, "natter.accountsync")

namespace natter::client {

namespace e2e = protocol::e2e;

namespace {

e2e::SyncedContact syncedOf(const ContactRecord& c) {
    return e2e::SyncedContact{c.userId, c.phone.toStdString(), c.name.toStdString()};
}

e2e::ChatSettings settingsOf(const ChatRecord& chat) {
    return e2e::ChatSettings{chat.chatId.toStdString(), chat.pinned, chat.muted ? e2e::kMutedForever : 0, chat.archived};
}

bool isMember(const GroupRecord& group, UserId user) {
    return std::any_of(group.members.begin(), group.members.end(), [user](const GroupMemberRecord& m) { return m.userId == user; });
}

} // namespace

AccountSync::AccountSync(store::ProfileStore& store, Outbox& outbox, DeviceDirectory& devices, FollowUps& followUps,
                         Outbox::Identity self, std::function<QString()> profileName, QObject* parent)
    : QObject(parent), m_store(store), m_outbox(outbox), m_devices(devices), m_followUps(followUps), m_self(self),
      m_profileName(std::move(profileName)),
      m_history(new HistoryTransfer(store, self.user, [this](const e2e::AccountSync& sync) { return send(sync); }, this)) {
    connect(m_history, &HistoryTransfer::chatsChanged, this, &AccountSync::chatsChanged);
}

Expected<void> AccountSync::send(const e2e::AccountSync& sync) {
    e2e::Content content;
    content.account_sync = sync;
    if (auto invalid = e2e::validate(content))
        return makeClientError(ErrorKind::InvalidArgument, QString::fromStdString(invalid->message));
    // The account's own chat reaches only its other devices; with none, the outbox drops it.
    return m_outbox.sendInChat(QString::fromStdString(protocol::ownChatId(m_self.user)), content);
}

Expected<void> AccountSync::requestSnapshot() {
    e2e::AccountSync sync;
    sync.snapshot_request = true;
    return send(sync);
}

Expected<void> AccountSync::sendSnapshot() {
    e2e::AccountSnapshot snapshot;
    auto contacts = m_store.contacts().all();
    if (!contacts) return contacts.error();
    for (const ContactRecord& c : *contacts)
        if (c.userId != m_self.user && protocol::isE164(c.phone.toStdString())) snapshot.contacts.push_back(syncedOf(c));
    const QString name = m_profileName();
    if (!name.isEmpty()) snapshot.profile_name = name.toStdString();
    auto about = ownAbout(m_store);
    if (!about) return about.error();
    if (!about->isEmpty()) snapshot.profile_about = about->toStdString();
    auto chats = m_store.chats().list(true);
    if (!chats) return chats.error();
    for (const ChatRecord& chat : *chats)
        if ((chat.pinned || chat.muted || chat.archived) && !protocol::parseOwnChatId(chat.chatId.toStdString()))
            snapshot.chats.push_back(settingsOf(chat));
    auto groups = m_store.groups().all();
    if (!groups) return groups.error();
    for (const GroupRecord& g : *groups)
        if (g.secret.size() == 32 && isMember(g, m_self.user))
            snapshot.groups.push_back(e2e::SyncedGroup{g.chatId.toStdString(), toBase64(g.secret)});
    auto peers = m_store.peerProfiles().all();
    if (!peers) return peers.error();
    snapshot.peer_profiles.emplace();
    for (const auto& p : *peers) {
        if (snapshot.peer_profiles->size() == e2e::kMaxSyncedItems) break;
        snapshot.peer_profiles->push_back(
            e2e::SyncedPeerProfile{p.userId, p.name.toStdString(), p.version,
                                   p.about.isEmpty() ? std::nullopt : std::optional<std::string>(p.about.toStdString())});
    }
    e2e::AccountSync sync;
    sync.snapshot = std::move(snapshot);
    return send(sync);
}

Expected<void> AccountSync::contactSaved(const ContactRecord& contact) {
    e2e::AccountSync sync;
    sync.change = e2e::AccountChange{};
    sync.change->contact_saved = syncedOf(contact);
    return send(sync);
}

Expected<void> AccountSync::contactRemoved(UserId user) {
    e2e::AccountSync sync;
    sync.change = e2e::AccountChange{};
    sync.change->contact_removed = user;
    return send(sync);
}

Expected<void> AccountSync::profileNameChanged(const QString& name) {
    e2e::AccountSync sync;
    sync.change = e2e::AccountChange{};
    sync.change->profile_name = name.toStdString();
    return send(sync);
}

Expected<void> AccountSync::profileAboutChanged(const QString& about) {
    e2e::AccountSync sync;
    sync.change = e2e::AccountChange{};
    sync.change->profile_about = about.toStdString();
    return send(sync);
}

Expected<void> AccountSync::chatSettingsChanged(const ChatRecord& chat) {
    e2e::AccountSync sync;
    sync.change = e2e::AccountChange{};
    sync.change->chat_settings = settingsOf(chat);
    return send(sync);
}

Expected<void> AccountSync::requestAccepted(const ChatRecord& chat) {
    e2e::AccountSync sync;
    sync.change = e2e::AccountChange{};
    sync.change->chat_settings = settingsOf(chat);
    sync.change->chat_settings->request = false;
    return send(sync);
}

Expected<void> AccountSync::requestDeleted(const QString& chatId) {
    e2e::AccountSync sync;
    sync.change = e2e::AccountChange{};
    sync.change->request_deleted = chatId.toStdString();
    return send(sync);
}

void AccountSync::answerRequest(DeviceId requester, const QString& what, std::function<Expected<void>()> answer) {
    auto job = m_followUps.start(what);
    // Guarded: the client may close before natterd answers.
    m_devices.refreshLists({m_self.user}, [this, alive = QPointer<AccountSync>(this), requester, what,
                                           answer = std::move(answer), job](Expected<void> refreshed) mutable {
        if (!alive) return;
        if (!refreshed)
            qCWarning(lcAccountSync) << "this account's device list could not be refreshed:" << refreshed.error().message;
        DeviceId lowest = m_self.device;
        for (DeviceId d : m_devices.devicesOf(m_self.user))
            if (d != requester) lowest = std::min(lowest, d);
        if (lowest == m_self.device) {
            qCInfo(lcAccountSync) << "device" << requester << "of this account asked for" << what << "; sending it";
            if (auto sent = answer(); !sent)
                qCWarning(lcAccountSync) << what << "could not be queued:" << sent.error().message;
        }
        job.done();
    });
}

Expected<void> AccountSync::apply(const protocol::MessageDelivery& d, const e2e::AccountSync& sync) {
    // Only this account, in its own chat (a pairwise session under the account identity key).
    if (d.sender_id != m_self.user || protocol::parseOwnChatId(d.chat_id) != m_self.user) {
        qCWarning(lcAccountSync) << "account sync from user" << d.sender_id << "device" << d.sender_device
                                 << "in" << QString::fromStdString(d.chat_id) << "dropped: not this account's own";
        return {};
    }
    if (sync.snapshot_request) {
        answerRequest(d.sender_device, QStringLiteral("the account's contacts and settings for a new device"),
                      [this] { return sendSnapshot(); });
        return {};
    }
    if (sync.history_request) {
        answerRequest(d.sender_device, QStringLiteral("the message history for a new device"),
                      [this, after = sync.history_request->after] {
                          // One envelope for each other device of the account (devicesOf: never this one).
                          return m_history->sendHistory(after, m_devices.devicesOf(m_self.user).size());
                      });
        return {};
    }
    if (sync.history) return m_history->apply(*sync.history);
    m_received = {};
    auto applied = m_store.database().transaction(
        [&]() -> Expected<void> { return sync.snapshot ? applySnapshot(*sync.snapshot) : applyChange(*sync.change); });
    if (!applied) return applied;
    // Announced once stored: whoever handles these reads what was committed.
    const Received received = std::exchange(m_received, {});
    if (received.profileName) emit profileNameReceived(*received.profileName);
    if (received.profileAbout) emit profileAboutReceived(*received.profileAbout);
    if (received.deletedRequest) emit requestDeletedElsewhere(*received.deletedRequest);
    for (const QString& chatId : received.groups) emit groupReceived(chatId);
    emit contactsChanged();
    emit chatsChanged();
    return {};
}

Expected<void> AccountSync::applySnapshot(const e2e::AccountSnapshot& snapshot) {
    for (const auto& c : snapshot.contacts)
        if (auto r = saveContact(c); !r) return r;
    for (const auto& g : snapshot.groups)
        if (auto r = saveGroup(g); !r) return r;
    for (const auto& s : snapshot.chats)
        if (auto r = applySettings(s); !r) return r;
    if (snapshot.profile_name) m_received.profileName = QString::fromStdString(*snapshot.profile_name);
    if (snapshot.profile_about) m_received.profileAbout = QString::fromStdString(*snapshot.profile_about);
    if (snapshot.peer_profiles)
        for (const auto& p : *snapshot.peer_profiles)
            if (auto r = storePeerProfile(m_store, m_self.user, p.user_id,
                                          e2e::SenderProfile{p.name, p.version, p.about});
                !r)
                return r;
    return {};
}

Expected<void> AccountSync::applyChange(const e2e::AccountChange& change) {
    if (change.contact_saved) return saveContact(*change.contact_saved);
    if (change.contact_removed) return m_store.contacts().remove(*change.contact_removed);
    if (change.chat_settings) return applySettings(*change.chat_settings);
    if (change.profile_name) m_received.profileName = QString::fromStdString(*change.profile_name);
    if (change.profile_about) m_received.profileAbout = QString::fromStdString(*change.profile_about);
    if (change.request_deleted) m_received.deletedRequest = QString::fromStdString(*change.request_deleted);
    return {};
}

Expected<void> AccountSync::saveContact(const e2e::SyncedContact& contact) {
    if (contact.user_id == m_self.user) return {};
    ContactRecord record;
    record.userId = contact.user_id;
    record.phone = QString::fromStdString(contact.phone);
    record.name = QString::fromStdString(contact.name);
    if (auto r = m_store.contacts().upsert(record); !r) return r;
    // Its direct chat, if this device has one, shows the name too.
    const QString chatId = QString::fromStdString(protocol::directChatId(m_self.user, contact.user_id));
    auto chat = m_store.chats().byId(chatId);
    if (!chat) return chat.error();
    if (*chat && !record.name.isEmpty()) return m_store.chats().setTitle(chatId, record.name);
    return {};
}

Expected<void> AccountSync::saveGroup(const e2e::SyncedGroup& group) {
    const QString chatId = QString::fromStdString(group.chat_id);
    auto secret = fromBase64(group.secret);
    if (!secret) return {}; // validated before: cannot happen
    auto known = m_store.groups().byId(chatId);
    if (!known) return known.error();
    if (*known && (*known)->secret == *secret && !(*known)->name.isEmpty()) return {};
    if (!*known) {
        GroupRecord record;
        record.chatId = chatId;
        record.secret = *secret;
        if (auto r = m_store.groups().save(record); !r) return r;
    } else if (auto r = m_store.groups().setSecret(chatId, *secret); !r) {
        return r;
    }
    m_received.groups << chatId;
    return {};
}

Expected<void> AccountSync::applySettings(const e2e::ChatSettings& settings) {
    const QString chatId = QString::fromStdString(settings.chat_id);
    auto chat = m_store.chats().byId(chatId);
    if (!chat) return chat.error();
    if (!*chat) {
        // A chat this device has not seen a message of yet: it appears with its settings.
        auto record = newChatRecord(m_store, chatId, m_self.user);
        if (!record) return record.error();
        if (auto r = m_store.chats().ensure(*record); !r) return r;
    }
    const bool muted = qint64(settings.muted_until) > QDateTime::currentMSecsSinceEpoch();
    if (settings.request == false && *chat && (*chat)->request)
        if (auto r = m_store.chats().setRequest(chatId, false); !r) return r; // accepted on another device
    return m_store.chats().setFlags(chatId, settings.pinned, muted, settings.archived);
}

} // namespace natter::client
