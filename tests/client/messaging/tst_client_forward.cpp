// Forward through the client core with real clients against a real natterd: a text or a file
// sent on to a 1:1 chat and a group arrives marked "forwarded" on every member's device, a
// file without a second upload (the same blob and key) yet readable by the new recipients;
// a deleted message or an unknown chat is refused with nothing sent.
#include "client_harness.h"
#include "natterd_process.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::MessageKind;
using natter::client::MessageRecord;

class TestClientForward : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    Client* m_carol = nullptr;
    QTemporaryDir m_files;

    static std::optional<MessageRecord> byServerId(Client* c, quint64 messageId) {
        auto m = c->store().messages().byMessageId(messageId);
        return m && *m ? *m : std::nullopt;
    }
    static std::optional<MessageRecord> byLocalId(Client* c, qint64 localId) {
        auto m = c->store().messages().byLocalId(localId);
        return m && *m ? *m : std::nullopt;
    }
    // The messages of `chat` stored by `c`, oldest first.
    static std::vector<MessageRecord> messagesOf(Client* c, const QString& chat) {
        auto page = c->store().messages().page(chat, 100);
        return page ? *page : std::vector<MessageRecord>{};
    }
    // The first message of `chat` on `c` with a file called `name`.
    static std::optional<MessageRecord> fileIn(Client* c, const QString& chat, const QString& name) {
        for (const auto& m : messagesOf(c, chat))
            if (m.media && m.media->fileName == name) return m;
        return std::nullopt;
    }
    QString createGroup() {
        auto chat = await<QString>([&](auto done) {
            m_alice->groups().create("Climbing", {m_bob->account().userId, m_carol->account().userId}, done);
        });
        return chat ? *chat : QString();
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915170000001"}, {"Bob", "+4915170000002"}, {"Carol", "+4915170000003"}}),
                 qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_carol = m_world->user("Carol");
    }

    void cleanup() { m_world.reset(); }

    void aForwardedTextArrivesMarkedForwardedInAOneToOneChatAndAGroup() {
        const QString group = createGroup();
        QVERIFY(!group.isEmpty());
        const QString aliceBob = *m_alice->resolveChat("Bob");
        const QString bobCarol = *m_bob->resolveChat("Carol");
        QVERIFY(m_alice->sendText(aliceBob, "The crag opens at nine"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, aliceBob, "The crag opens at nine").has_value(), 10000);
        const auto original = *ClientHarness::findMessage(m_bob, aliceBob, "The crag opens at nine");
        QVERIFY(!original.forwarded);

        auto sent = m_bob->forward(original.localId, {bobCarol, group});
        QVERIFY2(sent, sent ? "" : qPrintable(sent.error().message));
        QCOMPARE(sent->size(), std::size_t(2));
        for (qint64 id : *sent) {
            QVERIFY(byLocalId(m_bob, id)->forwarded);
            QCOMPARE(byLocalId(m_bob, id)->direction, natter::client::MessageDirection::outgoing);
        }
        // Carol has it in her chat with Bob and in the group; Alice in the group.
        for (const auto& [device, chat] : std::vector<std::pair<Client*, QString>>{{m_carol, bobCarol}, {m_carol, group},
                                                                                    {m_alice, group}}) {
            QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(device, chat, "The crag opens at nine").has_value(), 10000);
            const auto copy = *ClientHarness::findMessage(device, chat, "The crag opens at nine");
            QVERIFY(copy.forwarded);
            QCOMPARE(copy.senderId, m_bob->account().userId);
            QCOMPARE(copy.kind, MessageKind::text);
        }
        // Alice's own 1:1 copy, which she wrote, is not marked.
        QVERIFY(!ClientHarness::findMessage(m_alice, aliceBob, "The crag opens at nine")->forwarded);
    }

    void aForwardedFileReusesTheUploadedBlobAndKeyAndOpensForTheNewRecipient() {
        const QString group = createGroup();
        QVERIFY(!group.isEmpty());
        const QString aliceBob = *m_alice->resolveChat("Bob");
        const QByteArray bytes = QByteArray("topo of the north face\n").repeated(300);
        const QString path = m_files.filePath("topo.txt");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size());
        }
        QVERIFY(await<qint64>([&](auto done) { m_alice->sendFile(aliceBob, path, "the route", {}, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(fileIn(m_bob, aliceBob, "topo.txt").has_value(), 10000);
        const auto original = *fileIn(m_bob, aliceBob, "topo.txt");
        QVERIFY(original.messageId != 0);

        auto sent = m_bob->forward(original.localId, {group});
        QVERIFY2(sent, sent ? "" : qPrintable(sent.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(fileIn(m_carol, group, "topo.txt").has_value(), 10000);
        const auto carols = *fileIn(m_carol, group, "topo.txt");
        QVERIFY(carols.forwarded);
        QCOMPARE(carols.text, QStringLiteral("the route"));
        // No second upload: the same media id, key and digest as the message Bob received.
        QCOMPARE(carols.media->mediaId, original.media->mediaId);
        QCOMPARE(carols.media->key, original.media->key);
        QCOMPARE(carols.media->digest, original.media->digest);
        // ...and Carol, who never had the original, reads the file byte for byte.
        auto read = await<QByteArray>([&](auto done) { m_carol->readAttachment(carols.localId, {}, done); });
        QVERIFY2(read, read ? "" : qPrintable(read.error().message));
        QCOMPARE(*read, bytes);
        // Bob's forwarded copy owns no file of its own until it is downloaded for it.
        QVERIFY(byLocalId(m_bob, sent->front())->media->localBlobPath.isEmpty());
    }

    void aDeletedMessageOrAnUnknownChatIsRefusedAndNothingIsSent() {
        const QString aliceBob = *m_alice->resolveChat("Bob");
        const QString bobCarol = *m_bob->resolveChat("Carol");
        QVERIFY(m_alice->sendText(aliceBob, "forward me"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, aliceBob, "forward me").has_value(), 10000);
        const qint64 bobsCopy = ClientHarness::findMessage(m_bob, aliceBob, "forward me")->localId;
        const std::size_t before = messagesOf(m_bob, bobCarol).size();

        // One good chat and one unknown: refused before anything is sent to either.
        auto unknown = m_bob->forward(bobsCopy, {bobCarol, QStringLiteral("g:nosuchgroupnosuchgroupxx")});
        QVERIFY(!unknown);
        QVERIFY(unknown.error().message.contains("no chat"));
        QCOMPARE(messagesOf(m_bob, bobCarol).size(), before);
        auto none = m_bob->forward(bobsCopy, {});
        QVERIFY(!none);
        auto missing = m_bob->forward(999999, {bobCarol});
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains("no message"));

        const qint64 alicesCopy = ClientHarness::findMessage(m_alice, aliceBob, "forward me")->localId;
        QTRY_VERIFY_WITH_TIMEOUT(byLocalId(m_alice, alicesCopy)->messageId != 0, 10000);
        QVERIFY(m_alice->deleteMessage(alicesCopy, true));
        QTRY_VERIFY_WITH_TIMEOUT(byLocalId(m_bob, bobsCopy)->deleted(), 10000);
        auto deleted = m_bob->forward(bobsCopy, {bobCarol});
        QVERIFY(!deleted);
        QVERIFY(deleted.error().message.contains("was deleted"));
        QCOMPARE(messagesOf(m_bob, bobCarol).size(), before);
    }
};

QTEST_GUILESS_MAIN(TestClientForward)
#include "tst_client_forward.moc"
