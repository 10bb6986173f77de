// Ticks both ways: receipts from recipients move our messages to delivered/read (a group
// message once every member got there, with per-member detail kept), and opening a chat
// sends "read" for what arrived, unless the user turned read receipts off (then, as in
// WhatsApp, the server hides theirs from us too) or the chat is a message request.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"
#include "protocol/frames.h"

#include <QObject>

namespace natter::client {
namespace net { class Connection; }
namespace store { class ProfileStore; }

class Receipts : public QObject {
    Q_OBJECT
public:
    Receipts(store::ProfileStore& store, net::Connection& connection, UserId self, QObject* parent = nullptr);

    void onReceipt(const protocol::ReceiptEvent& receipt);
    // The user looked at the chat: everything incoming in it is read, or with upToLocalId (a
    // message of the chat) only what came up to that message. The number of messages marked.
    Expected<int> markChatRead(const QString& chatId, qint64 upToLocalId = 0);
    // A message request was accepted: "read" for what the user read of it while it was one.
    void sendHeldBackReads(const QString& chatId);
    // Read acks owed while offline go out on the next connect.
    void onConnected();

signals:
    void messageUpdated(qint64 localId, const QString& chatId);
    void chatRead(const QString& chatId);

private:
    bool readReceiptsEnabled();
    MessageState aggregate(const MessageRecord& message);

    store::ProfileStore& m_store;
    net::Connection& m_connection;
    UserId m_self = 0;
    QList<MessageId> m_owedReads;
};

} // namespace natter::client
