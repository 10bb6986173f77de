// Client: account sync (docs/protocol.md, "Account sync"). What this device changes of the
// account (contacts, display name, chat settings) goes to the account's other devices; what they
// send is applied here; a device just linked asks them for everything.
#include "client/client.h"

#include "client/messaging/account_sync.h"
#include "client/messaging/group_directory.h"
#include "client/messaging/group_profiles.h"
#include "client/messaging/history_transfer.h"
#include "client/messaging/profile_names.h"
#include "client/models/contact_list_model.h"
#include "client/net/api_client.h"
#include "client/core/clock.h"
#include "client/store/account_store.h"
#include "client/store/database.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"
#include "protocol/e2e.h"
#include "protocol/rest.h"

#include <QLoggingCategory>

#include <boost/json/value.hpp>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace natter::client {

namespace rest = protocol::rest;
using net::HttpMethod;

void Client::startAccountSync() {
    connect(m_accountSync, &AccountSync::chatsChanged, this, &Client::chatsChanged);
    connect(m_accountSync, &AccountSync::contactsChanged, this, [this] {
        if (m_contactList) m_contactList->reload();
    });
    connect(m_accountSync, &AccountSync::groupReceived, m_groups, &GroupDirectory::refreshInBackground);
    connect(m_accountSync, &AccountSync::profileNameReceived, this, &Client::onProfileNameReceived);
    connect(m_accountSync, &AccountSync::profileAboutReceived, this, &Client::onProfileAboutReceived);
    connect(&m_accountSync->history(), &HistoryTransfer::progressChanged, this, &Client::historyTransferProgress);
    // A transfer interrupted (this device restarted, the answering one went offline) goes on
    // from the last applied chunk once this device is connected and caught up.
    connect(this, &Client::synced, &m_accountSync->history(), &HistoryTransfer::resumeIfStalled);
}

void Client::requestAccountSnapshot(bool withHistory) {
    if (auto r = m_accountSync->requestSnapshot(); !r)
        qCWarning(lcClient) << "cannot ask the account's other devices for its contacts and settings:" << r.error().message;
    if (!withHistory) return;
    if (auto r = m_accountSync->history().request(); !r)
        qCWarning(lcClient) << "cannot ask the account's other devices for its message history:" << r.error().message;
}

Expected<Client::HistoryTransferState> Client::historyTransferState() {
    if (!m_accountSync) return HistoryTransferState{};
    auto p = m_accountSync->history().progress();
    if (!p) return p.error();
    return HistoryTransferState{p->wanted, p->received, p->total};
}

void Client::syncContact(const ContactRecord& contact) {
    if (!m_accountSync) return;
    if (auto r = m_accountSync->contactSaved(contact); !r)
        qCWarning(lcClient) << "a contact could not be queued for the account's other devices:" << r.error().message;
}

void Client::syncContactRemoved(UserId user) {
    if (!m_accountSync) return;
    if (auto r = m_accountSync->contactRemoved(user); !r)
        qCWarning(lcClient) << "a removed contact could not be queued for the account's other devices:" << r.error().message;
}

void Client::setProfileName(const QString& name, Callback<void> done) {
    if (!isRegistered()) {
        done(makeClientError(ErrorKind::InvalidArgument, tr("this profile is not registered yet")));
        return;
    }
    const QByteArray utf8 = name.trimmed().toUtf8();
    if (utf8.isEmpty() || std::size_t(utf8.size()) > protocol::e2e::kMaxSyncedNameBytes) {
        done(makeClientError(ErrorKind::InvalidArgument, tr("a name has 1 to 100 bytes")));
        return;
    }
    const QString trimmed = QString::fromUtf8(utf8);
    rest::ProfileUpdate update;
    update.display_name = utf8.toStdString();
    m_api->call<boost::json::value>(
        HttpMethod::Put, QStringLiteral("/api/profile"), update, [this, trimmed, done](Expected<boost::json::value> r) {
            if (!r) {
                done(r.error());
                return;
            }
            const bool changed = trimmed != m_account.displayName;
            AccountRecord account = m_account;
            account.displayName = trimmed;
            if (auto saved = m_store->account().save(account); !saved) {
                done(saved.error());
                return;
            }
            if (auto raised = changed ? raiseOwnProfileVersion(*m_store, m_clock->nowMs()) : Expected<void>{}; !raised) {
                done(raised.error());
                return;
            }
            m_account = account;
            if (changed) announceProfileToGroups();
            done(m_accountSync->profileNameChanged(trimmed));
        });
}

Expected<void> Client::setProfileAbout(const QString& about) {
    if (!isRegistered()) return makeClientError(ErrorKind::InvalidArgument, tr("this profile is not registered yet"));
    const QByteArray utf8 = about.trimmed().toUtf8();
    if (std::size_t(utf8.size()) > protocol::e2e::kMaxAboutBytes)
        return makeClientError(ErrorKind::InvalidArgument,
                               tr("an about text has at most 140 bytes of UTF-8; this one has %1").arg(utf8.size()));
    const QString trimmed = QString::fromUtf8(utf8);
    auto current = ownAbout(*m_store);
    if (!current) return current.error();
    if (*current == trimmed) return {};
    auto stored = m_store->database().transaction([&]() -> Expected<void> {
        if (auto r = storeOwnAbout(*m_store, trimmed); !r) return r;
        return raiseOwnProfileVersion(*m_store, m_clock->nowMs());
    });
    if (!stored) return stored;
    announceProfileToGroups();
    return m_accountSync->profileAboutChanged(trimmed);
}

QString Client::aboutOf(UserId user) {
    if (user == m_account.userId) return valueOr(ownAbout(*m_store), QString());
    return client::aboutOf(*m_store, user);
}

void Client::onProfileAboutReceived(const QString& about) {
    if (valueOr(ownAbout(*m_store), QString()) == about) return;
    auto stored = m_store->database().transaction([&]() -> Expected<void> {
        if (auto r = storeOwnAbout(*m_store, about); !r) return r;
        return raiseOwnProfileVersion(*m_store, m_clock->nowMs());
    });
    if (!stored) qCWarning(lcClient) << "the about text from another device could not be stored:" << stored.error().message;
}

void Client::announceProfileToGroups() {
    auto groups = m_store->groups().all();
    if (!groups) return;
    for (const GroupRecord& g : *groups)
        if (auto r = announceProfileToGroup(*m_store, *m_outbox, g.chatId, m_account.userId); !r)
            qCWarning(lcClient) << "the profile could not be queued for group" << g.chatId << ":" << r.error().message;
}

void Client::onProfileNameReceived(const QString& name) {
    if (name == m_account.displayName) return;
    AccountRecord account = m_account;
    account.displayName = name;
    if (auto saved = m_store->account().save(account); !saved) {
        qCWarning(lcClient) << "the display name from another device could not be stored:" << saved.error().message;
        return;
    }
    m_account = account;
    if (auto raised = raiseOwnProfileVersion(*m_store, m_clock->nowMs()); !raised)
        qCWarning(lcClient) << "the profile version could not be raised:" << raised.error().message;
}

} // namespace natter::client
