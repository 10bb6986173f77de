// Client: contacts, chats, sending, reading, privacy, safety numbers and the models.
#include "client/client.h"

#include "client/crypto/key_store.h"
#include "client/crypto/safety_number.h"
#include "client/crypto/signal_account.h"
#include "client/messaging/account_sync.h"
#include "client/messaging/device_directory.h"
#include "client/messaging/group_directory.h"
#include "client/messaging/media_transfer.h"
#include "client/messaging/mentions.h"
#include "client/messaging/outbox.h"
#include "client/messaging/profile_names.h"
#include "client/messaging/receipts.h"
#include "client/messaging/typing_tracker.h"
#include "client/models/chat_list_model.h"
#include "client/models/contact_list_model.h"
#include "client/models/message_list_model.h"
#include "client/net/api_client.h"
#include "client/store/account_store.h"
#include "client/store/block_store.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"
#include "protocol/e2e.h"
#include "protocol/e2e_codec.h"
#include "protocol/error.h"
#include "protocol/identifiers.h"

#include <boost/json/value.hpp>

namespace natter::client {

namespace rest = protocol::rest;
using net::HttpMethod;

namespace {
ClientError notRegistered() {
    return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("this profile is not registered yet"));
}

// A group chat this account is no longer a member of (removed, or it left) takes no messages:
// refused before anything is stored, as natterd would refuse it (forbidden). Nor does a 1:1
// chat with someone this account blocked: the user unblocks them first (as Signal asks).
Expected<void> writable(store::ProfileStore& store, const QString& chatId, UserId self) {
    if (const auto pair = protocol::parseDirectChatId(chatId.toStdString())) {
        const UserId peer = pair->first == self ? pair->second : pair->first;
        auto blocked = store.blocks().contains(peer);
        if (!blocked) return blocked.error();
        if (!*blocked) return {};
        auto chat = store.chats().byId(chatId);
        const QString name = chat && *chat && !(*chat)->title.isEmpty() ? (*chat)->title : chatId;
        return makeClientError(ErrorKind::InvalidArgument,
                               QObject::tr("you blocked %1: unblock them first, so nothing was sent").arg(name));
    }
    if (!protocol::isGroupChatId(chatId.toStdString())) return {};
    auto group = store.groups().byId(chatId);
    if (!group) return group.error();
    if (!*group) return {};
    for (const auto& m : (*group)->members)
        if (m.userId == self) return {};
    const QString name = (*group)->name.isEmpty() ? chatId : (*group)->name;
    ClientError error =
        makeClientError(ErrorKind::Server, QObject::tr("you are no longer a member of %1, so nothing was sent").arg(name));
    error.serverCode = QString::fromUtf8(protocol::toString(protocol::ErrorCode::Forbidden));
    return error;
}
} // namespace

void Client::resolveChatAddingNumber(const QString& who, Callback<QString> done) {
    if (!isRegistered()) return done(notRegistered());
    if (!protocol::isE164(who.toStdString())) return done(resolveChat(who));
    auto known = m_store->contacts().byPhone(who);
    if (!known) return done(known.error());
    if (*known) return done(resolveChat(who));
    addContact(who, {}, [this, who, done](Expected<ContactRecord> added) {
        if (!added) {
            ClientError error = added.error();
            if (error.kind == ErrorKind::NotFound)
                error.message = tr("%1 has no Natter account on this server, so nothing was sent").arg(who);
            else if (error.kind == ErrorKind::Network)
                error.message = tr("%1 is not a contact yet and natterd cannot be reached to look the number up, so "
                                   "nothing was sent (%2)")
                                    .arg(who, error.message);
            return done(error);
        }
        done(resolveChat(who));
    });
}

Expected<void> Client::checkWritable(const QString& chatId) {
    if (!isRegistered()) return notRegistered();
    return writable(*m_store, chatId, m_account.userId);
}

void Client::addContact(const QString& phone, const QString& name, Callback<ContactRecord> done) {
    if (!protocol::isE164(phone.toStdString())) {
        done(makeClientError(ErrorKind::InvalidArgument,
                             tr("'%1' is not a phone number in international form, like +4915112345678").arg(phone)));
        return;
    }
    rest::ContactsLookupRequest lookup;
    lookup.phones = {phone.toStdString()};
    m_api->call<rest::ContactsLookupResponse>(
        HttpMethod::Post, QStringLiteral("/api/contacts/lookup"), lookup,
        [this, phone, name, done](Expected<rest::ContactsLookupResponse> found) {
            if (!found) {
                done(found.error());
                return;
            }
            if (found->registered.empty()) {
                done(makeClientError(ErrorKind::NotFound, tr("%1 has no Natter account on this server").arg(phone)));
                return;
            }
            const auto& registered = found->registered.front();
            ContactRecord contact;
            contact.userId = registered.user_id;
            contact.phone = phone;
            contact.name = name.isEmpty() ? QString::fromStdString(registered.display_name) : name;
            rest::ContactsAddRequest add;
            add.user_ids = {contact.userId};
            m_api->call<boost::json::value>(HttpMethod::Put, QStringLiteral("/api/contacts"), add,
                                            [this, contact, done](Expected<boost::json::value> added) {
                                                if (!added) {
                                                    done(added.error());
                                                    return;
                                                }
                                                if (auto r = m_store->contacts().upsert(contact); !r) {
                                                    done(r.error());
                                                    return;
                                                }
                                                syncContact(contact);
                                                if (m_contactList) m_contactList->reload();
                                                done(contact);
                                            });
        });
}

void Client::removeContact(UserId user, Callback<void> done) {
    auto contact = m_store->contacts().byId(user);
    if (!contact) return done(contact.error());
    if (!*contact) return done(makeClientError(ErrorKind::NotFound, tr("user %1 is not a contact").arg(user)));
    m_api->call<boost::json::value>(HttpMethod::Delete, QStringLiteral("/api/contacts/%1").arg(user),
                                    [this, user, done](Expected<boost::json::value> removed) {
                                        if (!removed) return done(removed.error());
                                        if (auto r = m_store->contacts().remove(user); !r) return done(r.error());
                                        syncContactRemoved(user);
                                        if (m_contactList) m_contactList->reload();
                                        done({});
                                    });
}

QString Client::displayNameOf(UserId user) {
    if (user == m_account.userId) return tr("You");
    if (auto known = knownNameOf(*m_store, user)) return *known;
    return tr("User %1").arg(user);
}

std::vector<std::pair<UserId, QString>> Client::mentionMembers(const QString& chatId) {
    std::vector<std::pair<UserId, QString>> members;
    if (auto group = m_store->groups().byId(chatId); group && *group)
        for (const auto& m : (*group)->members) members.emplace_back(m.userId, displayNameOf(m.userId));
    return members;
}

std::optional<ChatRecord> Client::chatInfo(const QString& chatId) {
    auto chat = m_store->chats().byId(chatId);
    return chat ? *chat : std::nullopt;
}

std::optional<GroupRecord> Client::groupInfo(const QString& chatId) {
    auto group = m_store->groups().byId(chatId);
    return group ? *group : std::nullopt;
}

std::optional<ContactRecord> Client::contactInfo(UserId user) {
    auto contact = m_store->contacts().byId(user);
    return contact ? *contact : std::nullopt;
}

std::optional<MessageRecord> Client::messageInfo(qint64 localId) {
    auto message = m_store->messages().byLocalId(localId);
    return message ? *message : std::nullopt;
}

Expected<qint64> Client::sendText(const QString& chatId, const QString& text) {
    return sendTextMessage(chatId, text, std::nullopt);
}

Expected<qint64> Client::sendTextMessage(const QString& chatId, const QString& text,
                                         std::optional<protocol::e2e::Quote> quote) {
    if (!isRegistered()) return notRegistered();
    const QByteArray utf8 = text.toUtf8();
    if (text.trimmed().isEmpty()) return makeClientError(ErrorKind::InvalidArgument, tr("the message is empty"));
    if (std::size_t(utf8.size()) > protocol::e2e::kMaxTextBytes)
        return makeClientError(ErrorKind::InvalidArgument, tr("the message is longer than 64 KiB"));
    auto chat = m_store->chats().byId(chatId);
    if (!chat) return chat.error();
    if (!*chat) return makeClientError(ErrorKind::NotFound, tr("no chat %1").arg(chatId));
    if (auto open = writable(*m_store, chatId, m_account.userId); !open) return open.error();
    MessageRecord message;
    message.chatId = chatId;
    message.kind = MessageKind::text;
    message.text = text;
    protocol::e2e::Content content;
    content.text = utf8.toStdString();
    if (quote) {
        message.quote = QuoteRecord{quote->message_id, quote->sender_id, QString::fromStdString(quote->snippet), false};
        content.quote = std::move(quote);
    }
    if ((*chat)->type == ChatType::group && text.contains(QLatin1Char('@'))) { // names only when one may be mentioned
        auto members = mentionMembers(chatId);
        std::erase_if(members, [this](const auto& m) { return m.first == m_account.userId; });
        if (auto mentioned = mentionedMembers(text, members); !mentioned.empty()) content.mentions = std::move(mentioned);
    }
    auto localId = m_outbox->send(message, content);
    if (!localId) return localId.error();
    m_typing->userStopped(chatId);
    emit messageAdded(*localId, chatId);
    return *localId;
}

void Client::sendFile(const QString& chatId, const QString& path, const QString& caption, Progress progress,
                      Callback<qint64> done) {
    if (!isRegistered()) {
        done(notRegistered());
        return;
    }
    if (auto open = writable(*m_store, chatId, m_account.userId); !open) {
        done(open.error());
        return;
    }
    m_media->sendFile(chatId, path, caption, std::move(progress), [this, chatId, done](Expected<qint64> localId) {
        if (localId) emit messageAdded(*localId, chatId);
        done(localId);
    });
}

void Client::saveAttachment(qint64 localId, const QString& destination, Progress progress, Callback<QString> done) {
    if (!isRegistered()) {
        done(notRegistered());
        return;
    }
    m_media->saveAttachment(localId, destination, std::move(progress), std::move(done));
}

void Client::readAttachment(qint64 localId, Progress progress, Callback<QByteArray> done) {
    if (!isRegistered()) {
        done(notRegistered());
        return;
    }
    m_media->readAttachment(localId, std::move(progress), std::move(done));
}

Expected<int> Client::markRead(const QString& chatId, qint64 upToLocalId) {
    if (!isRegistered()) return notRegistered();
    return m_receipts->markChatRead(chatId, upToLocalId);
}

Expected<void> Client::setChatFlags(const QString& chatId, bool pinned, bool muted, bool archived) {
    if (auto r = m_store->chats().setFlags(chatId, pinned, muted, archived); !r) return r;
    emit chatsChanged();
    if (!m_accountSync) return {};
    auto chat = m_store->chats().byId(chatId);
    if (!chat) return chat.error();
    return *chat ? m_accountSync->chatSettingsChanged(**chat) : Expected<void>{};
}

Expected<std::vector<store::SearchHit>> Client::search(const QString& text, int limit, const QString& chatId) {
    if (text.trimmed().isEmpty()) return makeClientError(ErrorKind::InvalidArgument, tr("nothing to search for"));
    return m_store->messages().search(text, limit, chatId);
}

void Client::userTyping(const QString& chatId) {
    if (m_typing) m_typing->userTyped(chatId);
}

QStringList Client::typingNames(const QString& chatId) const {
    QStringList names;
    if (!m_typing) return names;
    for (UserId user : m_typing->typingIn(chatId)) names << const_cast<Client*>(this)->displayNameOf(user);
    return names;
}

void Client::setPrivacy(const QString& key, const QString& value, Callback<void> done) {
    rest::PrivacySettings settings;
    const auto visibility = [&](const QString& v) -> std::optional<protocol::Visibility> {
        if (v == QLatin1String("everyone")) return protocol::Visibility::everyone;
        if (v == QLatin1String("contacts")) return protocol::Visibility::contacts;
        if (v == QLatin1String("nobody")) return protocol::Visibility::nobody;
        return std::nullopt;
    };
    if (key == QLatin1String("last-seen") || key == QLatin1String("online")) {
        auto v = visibility(value);
        if (!v) {
            done(makeClientError(ErrorKind::InvalidArgument, tr("%1 must be everyone, contacts or nobody").arg(key)));
            return;
        }
        (key == QLatin1String("online") ? settings.online : settings.last_seen) = *v;
    } else if (key == QLatin1String("read-receipts")) {
        if (value != QLatin1String("on") && value != QLatin1String("off")) {
            done(makeClientError(ErrorKind::InvalidArgument, tr("read-receipts must be on or off")));
            return;
        }
        settings.read_receipts = value == QLatin1String("on");
    } else {
        done(makeClientError(ErrorKind::InvalidArgument, tr("unknown privacy setting '%1'").arg(key)));
        return;
    }
    m_api->call<rest::PrivacySettings>(
        HttpMethod::Put, QStringLiteral("/api/settings/privacy"), settings,
        [this, settings, done](Expected<rest::PrivacySettings> r) {
            if (!r) {
                done(r.error());
                return;
            }
            // This device decides from its own copy whether to send read receipts: a copy that
            // could not be stored would keep sending them, so the user hears of it.
            if (settings.read_receipts)
                if (auto stored = m_store->account().setSetting(
                        QStringLiteral("read_receipts"), *settings.read_receipts ? QStringLiteral("true") : QStringLiteral("false"));
                    !stored) {
                    done(makeClientError(stored.error().kind,
                                         tr("the server took the setting, but this device could not store it (%1); "
                                            "set it again")
                                             .arg(stored.error().message)));
                    return;
                }
            done({});
        });
}

void Client::privacy(Callback<rest::PrivacySettings> done) {
    m_api->call<rest::PrivacySettings>(HttpMethod::Get, QStringLiteral("/api/settings/privacy"), std::move(done));
}

Expected<void> Client::acknowledgeIdentity(UserId user) {
    auto r = m_store->contacts().setIdentityChanged(user, false);
    if (r && m_contactList) m_contactList->reload();
    return r;
}

ChatListModel* Client::chatList() {
    if (!m_chatList) {
        m_chatList = new ChatListModel(*m_store, [this](const QString& chatId) { return typingNames(chatId); }, this);
        connect(this, &Client::chatsChanged, m_chatList, &ChatListModel::reload);
        connect(this, &Client::typingChanged, m_chatList, &ChatListModel::onTypingChanged);
        connect(this, &Client::messageUpdated, m_chatList, &ChatListModel::onMessageUpdated);
    }
    return m_chatList;
}

ContactListModel* Client::contactList() {
    if (!m_contactList) m_contactList = new ContactListModel(*m_store, this);
    return m_contactList;
}

MessageListModel* Client::openConversation(const QString& chatId, QObject* parent) {
    auto* model = new MessageListModel(*m_store, chatId, m_account.userId, parent);
    connect(this, &Client::messageAdded, model, &MessageListModel::onMessageAdded);
    connect(this, &Client::messageUpdated, model, &MessageListModel::onMessageUpdated);
    connect(this, &Client::messageRemoved, model, &MessageListModel::onMessageRemoved);
    connect(this, &Client::attachmentDownloaded, model, &MessageListModel::onMessageUpdated);
    return model;
}

} // namespace natter::client
