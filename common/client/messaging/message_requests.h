// Message requests, as Signal and WhatsApp have them: a 1:1 chat whose first message came from
// someone not in the contacts is a request until the user accepts it or writes to them. While it
// is one, this device sends that person no read receipts and no typing (delivered receipts still
// go); accepting sends the read receipts held back. Group chats, chats with contacts and chats
// the user started are never requests (Inbox decides when it creates the chat).
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"

#include <QObject>

#include <vector>

namespace natter::client {
namespace store { class ProfileStore; }
class MessageActions;
class Receipts;

class MessageRequests : public QObject {
    Q_OBJECT
public:
    MessageRequests(store::ProfileStore& store, Receipts& receipts, MessageActions& actions, QObject* parent = nullptr);

    // The chats that are requests, newest activity first.
    Expected<std::vector<ChatRecord>> list();
    bool isRequest(const QString& chatId);
    // A normal chat from now on; the read receipts held back go out. NotFound when the chat is
    // not a request.
    Expected<void> accept(const QString& chatId);
    // The request and its messages (and files) are gone from this device. NotFound as accept.
    Expected<void> remove(const QString& chatId);
    // After the block list changed: the requests of these (blocked) users go.
    void removeRequestsFrom(const std::vector<UserId>& users);

    // A message was added (Client::messageAdded): one this account wrote accepts the request.
    void onMessageAdded(qint64 localId, const QString& chatId);

signals:
    // A chat stopped being a request (accepted) or was removed.
    void requestsChanged(const QString& chatId);

private:
    Expected<ChatRecord> request(const QString& chatId);

    store::ProfileStore& m_store;
    Receipts& m_receipts;
    MessageActions& m_actions;
};

} // namespace natter::client
