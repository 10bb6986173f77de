// Helpers shared by the client store suites: a fresh keyed store in a temporary directory
// and a message record builder.
#pragma once

#include "client/store/database.h"
#include "client/store/records.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

// Compares error kinds by their names (ErrorKind already has a QString toString()).
#define COMPARE_KIND(actual, expected) \
    QCOMPARE(natter::client::toString(actual), natter::client::toString(expected))

// QCOMPARE prints these enum classes through the overloads below (found by ADL).
namespace natter::client {
inline char* toString(MessageState state) { return QTest::toString(int(state)); }
} // namespace natter::client
namespace natter::protocol {
inline char* toString(DeliveryStatus status) { return QTest::toString(int(status)); }
} // namespace natter::protocol

namespace natter::client::store::test {

inline const QByteArray kPassphrase = QByteArrayLiteral("correct horse battery staple");

struct TempStore {
    QTemporaryDir dir;
    std::unique_ptr<Database> db;

    QString path() const { return dir.filePath(QStringLiteral("store.db")); }
    bool open() {
        auto opened = Database::open(path(), kPassphrase);
        if (!opened) qWarning() << "open failed:" << opened.error().message;
        db = opened ? std::move(*opened) : nullptr;
        return db != nullptr;
    }
};

inline MessageRecord message(const QString& chatId, UserId sender, const QString& clientMsgId, Seq seq,
                             const QString& text, MessageId messageId = 0) {
    MessageRecord m;
    m.chatId = chatId;
    m.senderId = sender;
    m.senderDevice = 1;
    m.clientMsgId = clientMsgId;
    m.seq = seq;
    m.messageId = messageId;
    m.timestamp = qint64(1'700'000'000'000) + qint64(seq) * 1000;
    m.text = text;
    m.state = seq ? MessageState::sent : MessageState::pending;
    m.direction = sender == 1 ? MessageDirection::outgoing : MessageDirection::incoming;
    if (m.direction == MessageDirection::incoming) m.state = MessageState::delivered;
    return m;
}

} // namespace natter::client::store::test
