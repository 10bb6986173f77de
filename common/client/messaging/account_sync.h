// Account sync (docs/protocol.md, "Account sync"): the account's contacts, display name, chat
// settings and groups travel end-to-end encrypted in the account's own chat to its other devices
// (a snapshot for a device just linked, then one change per change) and are applied from there,
// only when they come from this very account.
#pragma once

#include "client/core/result.h"
#include "client/messaging/outbox.h"
#include "client/store/records.h"
#include "protocol/e2e.h"
#include "protocol/frames.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace natter::client {
namespace store { class ProfileStore; }
class DeviceDirectory;
class FollowUps;
class HistoryTransfer;

class AccountSync : public QObject {
    Q_OBJECT
public:
    // `profileName`: the account's display name as this device has it.
    AccountSync(store::ProfileStore& store, Outbox& outbox, DeviceDirectory& devices, FollowUps& followUps,
                Outbox::Identity self, std::function<QString()> profileName, QObject* parent = nullptr);

    // A device just linked asks its account's other devices for the snapshot.
    Expected<void> requestSnapshot();
    // The message history part (asked for when the new device opted in at link time).
    HistoryTransfer& history() { return *m_history; }
    // Queues everything this device keeps of the account for the other devices.
    Expected<void> sendSnapshot();
    // One change made on this device, for the other devices.
    Expected<void> contactSaved(const ContactRecord& contact);
    Expected<void> contactRemoved(UserId user);
    Expected<void> profileNameChanged(const QString& name);
    Expected<void> profileAboutChanged(const QString& about);
    Expected<void> chatSettingsChanged(const ChatRecord& chat);
    // A message request accepted here: the account's other devices accept it too.
    Expected<void> requestAccepted(const ChatRecord& chat);
    // A message request deleted here: the account's other devices delete it too.
    Expected<void> requestDeleted(const QString& chatId);

    // Inbox: `account_sync` content arrived in delivery `d`. Applied only when it comes from this
    // account in its own chat; anything else is dropped and logged without its content.
    Expected<void> apply(const protocol::MessageDelivery& d, const protocol::e2e::AccountSync& sync);

signals:
    void contactsChanged();
    void chatsChanged();
    // Another device of this account changed the display name.
    void profileNameReceived(const QString& name);
    // ...or the about text.
    void profileAboutReceived(const QString& about);
    // Another device of this account deleted this message request (MessageRequests::remove here).
    void requestDeletedElsewhere(const QString& chatId);
    // A group's secret arrived with a snapshot: its details can be fetched now.
    void groupReceived(const QString& chatId);

private:
    Expected<void> send(const protocol::e2e::AccountSync& sync);
    Expected<void> applySnapshot(const protocol::e2e::AccountSnapshot& snapshot);
    Expected<void> applyChange(const protocol::e2e::AccountChange& change);
    Expected<void> saveContact(const protocol::e2e::SyncedContact& contact);
    Expected<void> applySettings(const protocol::e2e::ChatSettings& settings);
    Expected<void> saveGroup(const protocol::e2e::SyncedGroup& group);
    // A device of this account asked for the snapshot or the history: with the account's
    // current device list (the requester is new to it), the lowest-numbered device other than
    // the requester runs `answer`.
    void answerRequest(DeviceId requester, const QString& what, std::function<Expected<void>()> answer);

    store::ProfileStore& m_store;
    Outbox& m_outbox;
    DeviceDirectory& m_devices;
    FollowUps& m_followUps; // the device list refresh before a snapshot goes out
    Outbox::Identity m_self;
    std::function<QString()> m_profileName;
    HistoryTransfer* m_history = nullptr; // child
    // What the sync being applied brought that is announced after it is stored.
    struct Received {
        std::optional<QString> profileName;
        std::optional<QString> profileAbout;
        std::optional<QString> deletedRequest;
        QStringList groups;
    };
    Received m_received;
};

} // namespace natter::client
