// Message history for a linked device against a real natterd: opted in at link time, the new
// device finds the primary's 1:1 and group messages (both directions, in order, with senders)
// and search finds them; without the opt-in none arrive; a transfer interrupted by a restart
// goes on from the last applied chunk without duplicates; files come with their keys and can be
// saved there; a stranger's forged history is ignored.
#include "client_harness.h"
#include "natterd_process.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/store/outbox_store.h"
#include "client/store/profile_store.h"
#include "protocol/e2e_codec.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::MessageDirection;
using natter::client::MessageRecord;
namespace e2e = natter::protocol::e2e;

namespace {

Client::HistoryTransferState stateOf(Client* c) {
    return natter::client::valueOr(c->historyTransferState(), Client::HistoryTransferState{});
}

// What a user sees of a chat's messages: who wrote what, in order.
QStringList conversation(Client* c, const QString& chatId) {
    QStringList lines;
    for (const MessageRecord& m : ClientHarness::messagesOf(c, chatId))
        if (m.kind == natter::client::MessageKind::text)
            lines << QStringLiteral("%1 %2 %3")
                         .arg(m.senderId)
                         .arg(m.direction == MessageDirection::outgoing ? "out" : "in", m.text);
    return lines;
}

bool drained(Client* c) { return natter::client::valueOr(c->store().outbox().count(), -1) == 0; }

} // namespace

class TestClientHistoryTransfer : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    Client* m_carol = nullptr;

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915160000001"}, {"Bob", "+4915160000002"}, {"Carol", "+4915160000003"}}),
                 qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_carol = m_world->user("Carol");
        // Each one's direct chats with the others exist (a chat is created on first use).
        for (Client* c : {m_alice, m_bob, m_carol})
            for (const char* name : {"Alice", "Bob", "Carol"})
                if (c != m_world->user(name)) QVERIFY(c->resolveChat(name));
    }

    void cleanup() { m_world.reset(); }

    void aDeviceLinkedWithHistoryFindsTheDirectAndGroupMessagesInOrderWithTheirSenders() {
        const QString bobChat = ClientHarness::directChat(m_alice, m_bob);
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_bob, bobChat, "are we climbing on Saturday?"));
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, bobChat, "yes, the north wall"));
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_bob, bobChat, "bring the long rope"));
        auto group = await<QString>([&](auto done) { m_alice->groups().create("Climbing", {m_bob->account().userId}, done); });
        QVERIFY2(group, group ? "" : qPrintable(group.error().message));
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_bob, *group, "welcome to the group"));
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, *group, "thanks for the invite"));

        Client* laptop = m_world->clients().link(m_alice, "alice-laptop", true);
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(!stateOf(laptop).wanted && stateOf(laptop).total > 0, kClientTimeoutMs);
        QCOMPARE(stateOf(laptop).received, qint64(5));
        QCOMPARE(stateOf(laptop).total, qint64(5));

        QCOMPARE(conversation(laptop, bobChat), conversation(m_alice, bobChat));
        QCOMPARE(conversation(laptop, bobChat).size(), 3);
        QCOMPARE(conversation(laptop, *group), conversation(m_alice, *group));
        QCOMPARE(conversation(laptop, *group).size(), 2);
        const auto bobsReply = ClientHarness::findMessage(laptop, bobChat, "yes, the north wall");
        QVERIFY(bobsReply);
        QCOMPARE(bobsReply->senderId, m_bob->account().userId);
        QCOMPARE(bobsReply->direction, MessageDirection::incoming);
        QCOMPARE(bobsReply->timestamp, ClientHarness::findMessage(m_alice, bobChat, "yes, the north wall")->timestamp);
        const auto hits = natter::client::valueOr(laptop->search("north wall"), {});
        QCOMPARE(hits.size(), std::size_t(1));
        QCOMPARE(hits.front().chatId, bobChat);
        QVERIFY(laptop->chatInfo(bobChat) && laptop->chatInfo(bobChat)->title == QStringLiteral("Bob"));
    }

    // A file in the history comes with its key: the laptop downloads it from natterd and gets
    // the same bytes; a file Bob sent comes the same way, shown as his.
    void filesInTheHistoryCanBeSavedOnTheLinkedDevice() {
        const QString bobChat = ClientHarness::directChat(m_alice, m_bob);
        QTemporaryDir dir;
        const QString path = dir.filePath("route.txt");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray bytes = QByteArray("north wall, pitch 3: ").repeated(400);
        file.write(bytes);
        file.close();
        QVERIFY(await<qint64>([&](auto done) { m_bob->sendFile(bobChat, path, "the topo", {}, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, bobChat, "the topo"), kClientTimeoutMs);

        Client* laptop = m_world->clients().link(m_alice, "alice-laptop", true);
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(!stateOf(laptop).wanted && stateOf(laptop).total > 0, kClientTimeoutMs);
        const auto topo = ClientHarness::findMessage(laptop, bobChat, "the topo");
        QVERIFY(topo && topo->media);
        QCOMPARE(topo->senderId, m_bob->account().userId);
        QCOMPARE(topo->media->fileName, QStringLiteral("route.txt"));
        QCOMPARE(topo->media->size, qint64(bytes.size()));
        const QString target = dir.filePath("saved.txt");
        auto saved = await<QString>([&](auto done) { laptop->saveAttachment(topo->localId, target, {}, done); });
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
        QFile back(target);
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(back.readAll(), bytes);
    }

    void withoutTheOptInNoEarlierMessageArrives() {
        const QString bobChat = ClientHarness::directChat(m_alice, m_bob);
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_bob, bobChat, "before the laptop"));
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(laptop->chatInfo(bobChat) || !ClientHarness::messagesOf(laptop, bobChat).isEmpty() ||
                                     natter::client::valueOr(laptop->resolveChat("Bob"), QString()) == bobChat,
                                 kClientTimeoutMs);
        // A message after linking reaches the laptop; the one before it does not.
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, bobChat, "after the laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, bobChat, "after the laptop"), kClientTimeoutMs);
        QVERIFY(drained(m_alice));
        QCOMPARE(conversation(laptop, bobChat).size(), 1);
        QVERIFY(!ClientHarness::findMessage(laptop, bobChat, "before the laptop"));
        QCOMPARE(stateOf(laptop).wanted, false);
        QCOMPARE(stateOf(laptop).total, qint64(0));
    }

    // 120 messages of 4 KiB take about twelve chunks (a chunk carries about 48 KiB), sent four
    // at a time as the laptop asks for them. After the first chunk both devices go offline: the
    // laptop restarts, and once Alice is back it goes on from there, nothing twice.
    void anInterruptedTransferResumesFromTheLastAppliedChunkWithoutDuplicates() {
        constexpr int kMessages = 120;
        const QString bobChat = ClientHarness::directChat(m_alice, m_bob);
        const auto textOf = [](int i) { return QStringLiteral("message %1 ").arg(i, 3, 10, QLatin1Char('0')); };
        for (int i = 1; i <= kMessages; ++i) QVERIFY(m_alice->sendText(bobChat, textOf(i) + QString(4096, 'x')));
        QTRY_VERIFY_WITH_TIMEOUT(drained(m_alice), kClientTimeoutMs);

        qint64 atInterruption = 0;
        auto code = await<QString>([&](auto done) { m_alice->createLinkCode(done); });
        QVERIFY(code);
        Client* laptop = m_world->clients().reopen("alice-laptop", false);
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        connect(laptop, &Client::historyTransferProgress, laptop, [&](qint64 received, qint64) {
            if (atInterruption != 0) return;
            atInterruption = received;
            laptop->disconnectFromServer();
            m_alice->disconnectFromServer();
        });
        QVERIFY(await<void>([&](auto done) { laptop->linkWithCode(*code, "alice-laptop", true, done); }));
        laptop->connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(atInterruption > 0, kClientTimeoutMs);
        QVERIFY2(atInterruption < kMessages, qPrintable(QString::number(atInterruption)));

        // The laptop restarts while Alice is away: what she sent before arrives, then it waits.
        m_world->clients().close("alice-laptop");
        QList<qint64> afterRestart;
        laptop = m_world->clients().reopen("alice-laptop", false);
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QCOMPARE(stateOf(laptop).received, atInterruption);
        connect(laptop, &Client::historyTransferProgress, laptop, [&](qint64 received, qint64) { afterRestart << received; });
        laptop->connectToServer();
        QVERIFY(m_world->clients().waitSynced(laptop));
        QVERIFY(stateOf(laptop).wanted);
        QVERIFY2(stateOf(laptop).received < kMessages, qPrintable(QString::number(stateOf(laptop).received)));

        m_alice = m_world->clients().reopen("alice");
        QVERIFY2(m_alice, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(!stateOf(laptop).wanted, kClientTimeoutMs);
        QVERIFY(!afterRestart.isEmpty());
        QVERIFY2(afterRestart.front() > atInterruption, "the transfer started over");
        QCOMPARE(afterRestart.back(), qint64(kMessages));

        const auto messages = ClientHarness::messagesOf(laptop, bobChat);
        QCOMPARE(messages.size(), kMessages);
        QSet<quint64> ids;
        for (int i = 0; i < messages.size(); ++i) {
            QVERIFY2(messages[i].text.startsWith(textOf(i + 1)), qPrintable(messages[i].text.left(20)));
            ids.insert(messages[i].messageId);
        }
        QCOMPARE(ids.size(), kMessages);
    }

    // Carol's client is made to send Alice a history chunk in their direct chat while Alice's
    // laptop waits for its history (Alice is offline): the laptop stores none of it.
    void aStrangersForgedHistoryIsIgnored() {
        const QString bobChat = ClientHarness::directChat(m_alice, m_bob);
        const QString carolChat = ClientHarness::directChat(m_alice, m_carol);
        QVERIFY(ClientHarness::sendAndWait(m_carol, m_alice, carolChat, "hi Alice"));
        auto code = await<QString>([&](auto done) { m_alice->createLinkCode(done); });
        QVERIFY(code);
        m_world->clients().close("alice");
        Client* laptop = m_world->clients().reopen("alice-laptop", false);
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QVERIFY(await<void>([&](auto done) { laptop->linkWithCode(*code, "alice-laptop", true, done); }));
        laptop->connectToServer();
        QVERIFY(m_world->clients().waitSynced(laptop));
        QVERIFY(stateOf(laptop).wanted);

        e2e::HistoryMessage forged;
        forged.chat_id = bobChat.toStdString();
        forged.message_id = 999999;
        forged.sender_id = m_bob->account().userId;
        forged.sender_device = 1;
        forged.seq = 1;
        forged.timestamp = 1;
        forged.state = "read";
        forged.text = "send Carol the password";
        e2e::Content content;
        content.account_sync = e2e::AccountSync{};
        content.account_sync->history = e2e::HistoryChunk{0, 1, 999999, {forged}};
        natter::client::OutboxEntry entry;
        entry.chatId = carolChat;
        entry.clientMsgId = QStringLiteral("forged-history");
        entry.content = QByteArray::fromStdString(e2e::serializeContent(content));
        QVERIFY(m_carol->store().outbox().enqueue(entry));

        // Carol's next message goes after it: once the laptop has it, the forged chunk was handled.
        QVERIFY(m_carol->sendText(carolChat, "after the forged history"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, carolChat, "after the forged history"), kClientTimeoutMs);
        QVERIFY(ClientHarness::messagesOf(laptop, bobChat).isEmpty());
        QVERIFY(!ClientHarness::byServerId(laptop, 999999));
        QCOMPARE(stateOf(laptop).received, qint64(0));
        QVERIFY(stateOf(laptop).wanted);
    }
};

QTEST_GUILESS_MAIN(TestClientHistoryTransfer)
#include "tst_client_history_transfer.moc"
