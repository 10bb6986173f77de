// Messages are announced in seq order: one above a gap waits until the gap fills (in order
// then), or until the hold time ends when the missing entry never comes.
#include "client/messaging/seq_gate.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::client;

class TestSeqGate : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::ProfileStore> m_store;
    const QString m_chat = QStringLiteral("dm:1:2");

    qint64 store(Seq seq) {
        MessageRecord m;
        m.chatId = m_chat;
        m.seq = seq;
        m.messageId = 100 + seq;
        m.clientMsgId = QStringLiteral("c%1").arg(seq);
        m.senderId = 2;
        m.state = MessageState::delivered;
        m.text = QStringLiteral("m%1").arg(seq);
        auto r = m_store->messages().insert(m);
        return r ? r->localId : 0;
    }
    static QList<qint64> announced(const QSignalSpy& spy) {
        QList<qint64> ids;
        for (const auto& args : spy) ids << args.at(0).toLongLong();
        return ids;
    }

private slots:
    void init() {
        qputenv("NATTER_PASSPHRASE", "gate test passphrase");
        qputenv("NATTER_NO_KEYCHAIN", "1");
        m_store.reset();
        auto opened = store::ProfileStore::open(QStringLiteral("gate"), m_dir.filePath(QTest::currentTestFunction()), {});
        QVERIFY(opened);
        m_store = std::move(*opened);
    }

    void messagesInOrderAreAnnouncedAtOnce() {
        SeqGate gate(m_store->messages());
        QSignalSpy spy(&gate, &SeqGate::ready);
        const qint64 first = store(4); // the first message this device sees of the chat
        gate.arrived(first, m_chat, 4);
        const qint64 second = store(5);
        gate.arrived(second, m_chat, 5);
        QCOMPARE(announced(spy), (QList<qint64>{first, second}));
    }

    void messageAboveAGapWaitsAndFollowsTheGapInOrder() {
        SeqGate gate(m_store->messages());
        QSignalSpy spy(&gate, &SeqGate::ready);
        const qint64 one = store(1);
        gate.arrived(one, m_chat, 1);
        const qint64 four = store(4);
        gate.arrived(four, m_chat, 4);
        const qint64 three = store(3);
        gate.arrived(three, m_chat, 3);
        QCOMPARE(announced(spy), (QList<qint64>{one}));
        QCOMPARE(gate.heldCount(), 2);
        // Seq 2 was a control message: recorded, never shown; the held ones follow in order.
        QVERIFY(m_store->messages().recordSeq(m_chat, 2));
        gate.recheck(m_chat);
        QCOMPARE(announced(spy), (QList<qint64>{one, three, four}));
        QCOMPARE(gate.heldCount(), 0);
    }

    void aGapThatNeverFillsIsGivenUpAfterTheHoldTime() {
        SeqGate gate(m_store->messages());
        gate.setMaxHold(std::chrono::milliseconds(100));
        QSignalSpy spy(&gate, &SeqGate::ready);
        gate.arrived(store(1), m_chat, 1);
        const qint64 three = store(3);
        gate.arrived(three, m_chat, 3);
        QCOMPARE(spy.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, 2000);
        QCOMPARE(announced(spy).back(), three);
    }
};

QTEST_GUILESS_MAIN(TestSeqGate)
#include "tst_seq_gate.moc"
