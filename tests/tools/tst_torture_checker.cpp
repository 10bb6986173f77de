// The torture checkers catch each kind of failure they claim to (lost, duplicate, out of order,
// mismatched, redelivered after a receipt; a seq gap or a missing acked message in the database)
// and accept what natterd may legitimately do (redeliver on a later connection, interleave chats).
#include "checker.h"
#include "db_check.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace natter::torture;

namespace {

// Device 0 sends to device 1 in dm:1:2: messages 10, 11, 12 with seq 1, 2, 3.
std::vector<AckedMessage> threeAcked() {
    return {{"dm:1:2", 10, 1, 0, {1}}, {"dm:1:2", 11, 2, 0, {1}}, {"dm:1:2", 12, 3, 0, {1}}};
}

// Device 1's view: one connection per list, in natterd lifetime 0, 1, 2, ...
std::vector<DeviceView> recipientSaw(const std::vector<std::vector<Delivery>>& connections) {
    std::vector<DeviceView> views(2);
    for (std::size_t c = 0; c < connections.size(); ++c) views[1].connections.push_back({c, connections[c]});
    return views;
}

Delivery dm(natter::protocol::MessageId id, natter::protocol::Seq seq) { return {"dm:1:2", id, seq}; }

// A natterd.db with just the messages table, holding the given (id, chat, seq) rows.
bool writeDatabase(const QString& path, const std::vector<Delivery>& rows) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK) return false;
    std::string sql = "CREATE TABLE messages (id INTEGER PRIMARY KEY, chat_id TEXT NOT NULL, seq INTEGER NOT NULL);";
    for (const auto& r : rows)
        sql += "INSERT INTO messages VALUES (" + std::to_string(r.message_id) + ",'" + r.chat_id + "'," +
               std::to_string(r.seq) + ");";
    const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

} // namespace

class TstTortureChecker : public QObject {
    Q_OBJECT
private slots:
    void everyMessageOnceInOrderPasses();
    void aMessageItsRecipientNeverSawIsLost();
    void aMessageTwiceOnOneConnectionIsADuplicate();
    void aMessageAgainOnALaterConnectionIsAnAllowedRedelivery();
    void aRedeliveryAfterItsReceiptWasRelayedFails();
    void seqGoingBackwardsWithinAChatIsOutOfOrder();
    void differentChatsMayInterleave();
    void aDeliveryWithAnotherSeqThanItsAckIsMismatched();
    void aSoundDatabasePasses();
    void aChatWithASeqGapFailsTheDatabaseCheck();
    void anAcknowledgedMessageMissingFromTheDatabaseFails();
};

void TstTortureChecker::everyMessageOnceInOrderPasses() {
    const auto r = checkViews(threeAcked(), recipientSaw({{dm(10, 1), dm(11, 2), dm(12, 3)}}), {});
    QVERIFY(r.ok());
    QCOMPARE(r.expected, 3u);
    QCOMPARE(r.redelivered, 0u);
}

void TstTortureChecker::aMessageItsRecipientNeverSawIsLost() {
    const auto r = checkViews(threeAcked(), recipientSaw({{dm(10, 1)}, {dm(12, 3)}}), {});
    QVERIFY(!r.ok());
    QCOMPARE(r.lost, 1u);
    QVERIFY(!r.examples.empty() && r.examples.front().find("message 11") != std::string::npos);
}

void TstTortureChecker::aMessageTwiceOnOneConnectionIsADuplicate() {
    const auto r = checkViews(threeAcked(), recipientSaw({{dm(10, 1), dm(11, 2), dm(11, 2), dm(12, 3)}}), {});
    QVERIFY(!r.ok());
    QCOMPARE(r.duplicates, 1u);
}

void TstTortureChecker::aMessageAgainOnALaterConnectionIsAnAllowedRedelivery() {
    const auto r = checkViews(threeAcked(), recipientSaw({{dm(10, 1), dm(11, 2)}, {dm(11, 2), dm(12, 3)}}), {});
    QVERIFY(r.ok());
    QCOMPARE(r.redelivered, 1u);
}

void TstTortureChecker::aRedeliveryAfterItsReceiptWasRelayedFails() {
    // The sender got device 1's receipt for message 11 in lifetime 0: lifetime 1 must not repeat it.
    const auto r = checkViews(threeAcked(), recipientSaw({{dm(10, 1), dm(11, 2)}, {dm(11, 2), dm(12, 3)}}),
                              {{11, 1, 0}});
    QVERIFY(!r.ok());
    QCOMPARE(r.redelivered_after_receipt, 1u);
    // A receipt that arrived only in the later lifetime proves nothing about the earlier one.
    QVERIFY(checkViews(threeAcked(), recipientSaw({{dm(10, 1), dm(11, 2)}, {dm(11, 2), dm(12, 3)}}), {{11, 1, 1}}).ok());
}

void TstTortureChecker::seqGoingBackwardsWithinAChatIsOutOfOrder() {
    const auto r = checkViews(threeAcked(), recipientSaw({{dm(10, 1), dm(12, 3), dm(11, 2)}}), {});
    QVERIFY(!r.ok());
    QCOMPARE(r.out_of_order, 1u);
}

void TstTortureChecker::differentChatsMayInterleave() {
    auto acked = threeAcked();
    acked.push_back({"g:x", 20, 2, 0, {1}});
    const auto r = checkViews(acked, recipientSaw({{{"g:x", 5, 1}, dm(10, 1), {"g:x", 20, 2}, dm(11, 2), dm(12, 3)}}), {});
    QVERIFY(r.ok());
}

void TstTortureChecker::aDeliveryWithAnotherSeqThanItsAckIsMismatched() {
    const auto r = checkViews(threeAcked(), recipientSaw({{dm(10, 1), dm(11, 2), dm(12, 4)}}), {});
    QVERIFY(!r.ok());
    QCOMPARE(r.mismatched, 1u);
}

void TstTortureChecker::aSoundDatabasePasses() {
    QTemporaryDir dir;
    const QString path = dir.filePath("natterd.db");
    QVERIFY(writeDatabase(path, {dm(10, 1), dm(11, 2), dm(12, 3), {"g:x", 13, 1}}));
    const auto r = checkDatabase(path.toStdString(), threeAcked());
    QVERIFY(r.ok());
    QCOMPARE(r.integrity, std::string("ok"));
    QCOMPARE(r.chats, 2u);
    QCOMPARE(r.stored, 4u);
}

void TstTortureChecker::aChatWithASeqGapFailsTheDatabaseCheck() {
    QTemporaryDir dir;
    const QString path = dir.filePath("natterd.db");
    QVERIFY(writeDatabase(path, {dm(10, 1), dm(11, 2), dm(12, 3), {"g:x", 13, 1}, {"g:x", 14, 3}}));
    const auto r = checkDatabase(path.toStdString(), threeAcked());
    QVERIFY(!r.ok());
    QCOMPARE(r.seq_gaps, 1u);
}

void TstTortureChecker::anAcknowledgedMessageMissingFromTheDatabaseFails() {
    QTemporaryDir dir;
    const QString path = dir.filePath("natterd.db");
    QVERIFY(writeDatabase(path, {dm(10, 1), dm(11, 2)}));
    const auto r = checkDatabase(path.toStdString(), threeAcked());
    QVERIFY(!r.ok());
    QCOMPARE(r.acked_missing, 1u);
    QCOMPARE(r.seq_gaps, 0u);
}

QTEST_GUILESS_MAIN(TstTortureChecker)
#include "tst_torture_checker.moc"
