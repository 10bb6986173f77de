// Groups through the client core against a real natterd: sender-key messages reach every
// member with per-member receipts, names stay sealed from the server, and a removed member
// gets nothing afterwards and could not decrypt it even holding the server's ciphertext.
#include "client_harness.h"
#include "natterd_process.h"
#include "server_database.h"

#include "client/client.h"
#include "client/crypto/group_cipher.h"
#include "client/crypto/signal_account.h"
#include "client/crypto/sqlcipher_key_store.h"
#include "client/messaging/group_directory.h"
#include "client/store/group_store.h"
#include "client/store/account_store.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/message_store.h"
#include "client/store/outbox_store.h"
#include "client/store/profile_store.h"

#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::MessageState;

class TestClientGroups : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    Client* m_carol = nullptr;

    QString createGroup(const QString& name) {
        auto chat = await<QString>([&](auto done) {
            m_alice->groups().create(name, {m_bob->account().userId, m_carol->account().userId}, done);
        });
        return chat ? *chat : QString();
    }
    QString titleOf(Client* c, const QString& chatId) {
        auto chat = c->store().chats().byId(chatId);
        return chat && *chat ? (*chat)->title : QString();
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915120000001"}, {"Bob", "+4915120000002"}, {"Carol", "+4915120000003"}}), qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_carol = m_world->user("Carol");
    }

    void cleanup() { m_world.reset(); }

    void groupMessageReachesEveryMemberWithPerMemberReceipts() {
        const QString group = createGroup("Climbing Saturday");
        QVERIFY(!group.isEmpty());
        // Members learn the name from the secret shared over pairwise sessions.
        QTRY_COMPARE_WITH_TIMEOUT(titleOf(m_bob, group), QStringLiteral("Climbing Saturday"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(titleOf(m_carol, group), QStringLiteral("Climbing Saturday"), 10000);

        auto sent = m_alice->sendText(group, "Meet at 9 at the gym");
        QVERIFY(sent);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, group, "Meet at 9 at the gym").has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, group, "Meet at 9 at the gym").has_value(), 10000);
        auto state = [&] { return m_alice->store().messages().byLocalId(*sent).value()->state; };
        QTRY_COMPARE_WITH_TIMEOUT(state(), MessageState::delivered, 10000);
        QVERIFY(m_bob->markRead(group));
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->store().messages().receipts(*sent)->size(), std::size_t(2), 10000);
        QTest::qWait(300);
        QCOMPARE(state(), MessageState::delivered); // Carol has not read it yet
        QVERIFY(m_carol->markRead(group));
        QTRY_COMPARE_WITH_TIMEOUT(state(), MessageState::read, 10000);

        // Every member can write, and everybody else decrypts it.
        QVERIFY(m_carol->sendText(group, "I'll bring the rope"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, group, "I'll bring the rope").has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, group, "I'll bring the rope").has_value(), 10000);
    }

    void removedMemberGetsNothingAfterwardsAndCannotDecryptIt() {
        const QString group = createGroup("Secret plans");
        QVERIFY(m_alice->sendText(group, "before the removal"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, group, "before the removal").has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, group, "before the removal").has_value(), 10000);

        auto removed = await<natter::client::GroupRecord>(
            [&](auto done) { m_alice->groups().removeMember(group, m_carol->account().userId, done); });
        QVERIFY2(removed, qPrintable(removed ? QString() : removed.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, group, "Alice removed Carol").has_value(), 10000);

        QVERIFY(m_alice->sendText(group, "after the removal"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, group, "after the removal").has_value(), 10000);
        QTest::qWait(500);
        QVERIFY(!ClientHarness::findMessage(m_carol, group, "after the removal").has_value());

        // Even with the ciphertext from natterd's own database, Carol's keys cannot open it:
        // Alice made a new sender key that only the remaining members received.
        const QByteArray ciphertext = ServerDatabase(m_world->server().dataDir()).lastGroupCiphertext(group);
        QVERIFY(!ciphertext.isEmpty());
        m_world->clients().close("carol");
        auto store = natter::client::store::ProfileStore::open("carol", m_world->clients().dataRoot(), {});
        QVERIFY(store);
        natter::client::crypto::SqlcipherKeyStore keys((*store)->database());
        auto signal = natter::client::crypto::SignalAccount::open(keys);
        QVERIFY(signal);
        natter::client::crypto::GroupCipher cipher(**signal);
        auto opened = cipher.decrypt(group, m_alice->account().userId, m_alice->account().deviceId, ciphertext);
        QVERIFY(!opened);
    }

    void deviceLinkedLaterReadsAndWritesInAnExistingGroup() {
        const QString group = createGroup("Book club");
        QVERIFY(m_bob->sendText(group, "chapter one"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, group, "chapter one").has_value(), 10000);
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { laptop->addContact(m_bob->account().phone, "Bob", done); }));
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { laptop->addContact(m_carol->account().phone, "Carol", done); }));

        // Bob's sender key never reached the laptop: it asks again and gets the message.
        QVERIFY(m_bob->sendText(group, "chapter two"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, group, "chapter two").has_value(), 15000);
        QVERIFY(!ClientHarness::findMessage(laptop, group, "chapter one").has_value());

        // What the laptop writes reaches the members and Alice's phone.
        QTRY_VERIFY_WITH_TIMEOUT(laptop->store().groups().byId(group).value().has_value(), 10000);
        QVERIFY(laptop->sendText(group, "from the laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, group, "from the laptop").has_value(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, group, "from the laptop").has_value(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, group, "from the laptop").has_value(), 15000);
    }

    void newGroupWhoseSecretCannotBeStoredIsReportedAsAFailure() {
        // Alice's store refuses to keep any group secret just then (as a full disk would).
        QVERIFY(m_alice->store().database().exec(
            "CREATE TEMP TRIGGER refuse_secret_insert BEFORE INSERT ON groups WHEN length(NEW.secret) > 0 "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END; "
            "CREATE TEMP TRIGGER refuse_secret_update BEFORE UPDATE OF secret ON groups WHEN length(NEW.secret) > 0 "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END;"));
        auto chat = await<QString>([&](auto done) {
            m_alice->groups().create("Lost secret", {m_bob->account().userId, m_carol->account().userId}, done);
        });
        QVERIFY2(!chat, "creating the group reported success although this device kept no secret for it");
        QVERIFY2(chat.error().message.contains("could not store it"), qPrintable(chat.error().message));
        QVERIFY2(chat.error().message.contains("disk full"), qPrintable(chat.error().message));
    }

    void groupNameNeverReachesTheServerInClear() {
        const QString group = createGroup("Surprise party for Dave");
        QVERIFY(m_alice->sendText(group, "cake or pie"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, group, "cake or pie").has_value(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(titleOf(m_carol, group), QStringLiteral("Surprise party for Dave"), 10000);
        m_world->server().terminate();
        QCOMPARE(filesContaining(m_world->server().dataDir(), "Surprise party"), QStringList());
        QCOMPARE(filesContaining(m_world->server().dataDir(), "cake or pie"), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestClientGroups)
#include "tst_client_groups.moc"
