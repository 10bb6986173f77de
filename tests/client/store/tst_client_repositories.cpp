// The smaller repositories: account and settings, contacts and their devices, groups with
// members and sender-key shares, and the outbox's order and bookkeeping.
#include "store_test_support.h"

#include "client/store/account_store.h"
#include "client/store/contact_store.h"
#include "client/store/group_store.h"
#include "client/store/outbox_store.h"

using namespace natter::client;
using namespace natter::client::store;
using namespace natter::client::store::test;

class TestClientRepositories : public QObject {
    Q_OBJECT
    std::unique_ptr<TempStore> m_store;

private slots:
    void init() {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->open());
    }
    void cleanup() { m_store.reset(); }

    void anUnregisteredProfileHasNoAccountAndUnsetSettingsAreEmpty() {
        AccountStore account(*m_store->db);
        QVERIFY(!*account.load());
        QCOMPARE(*account.setting(QStringLiteral("read_receipts")), QString());
        QVERIFY(account.setSetting(QStringLiteral("read_receipts"), QStringLiteral("false")));
        QVERIFY(account.setSetting(QStringLiteral("read_receipts"), QStringLiteral("true")));
        QCOMPARE(*account.setting(QStringLiteral("read_receipts")), QStringLiteral("true"));
    }

    void upsertingAContactKeepsKnownFieldsAndTheIdentityWarning() {
        ContactStore contacts(*m_store->db);
        QVERIFY(contacts.upsert(ContactRecord{42, QStringLiteral("+1555042"), QStringLiteral("alice"), false}));
        QVERIFY(contacts.setIdentityChanged(42, true));
        QVERIFY(contacts.upsert(ContactRecord{42, QString(), QStringLiteral("Alice B"), false}));
        auto alice = **contacts.byId(42);
        QCOMPARE(alice.phone, QStringLiteral("+1555042"));
        QCOMPARE(alice.name, QStringLiteral("Alice B"));
        QVERIFY(alice.identityChanged);
        QCOMPARE((*contacts.byPhone(QStringLiteral("+1555042")))->userId, UserId(42));
        QCOMPARE(contacts.byName(QStringLiteral("ALICE b"))->size(), size_t(1));
        QVERIFY(contacts.upsert(ContactRecord{7, QStringLiteral("+1555007"), QStringLiteral("Bob"), false}));
        auto all = *contacts.all();
        QCOMPARE(all.size(), size_t(2));
        QCOMPARE(all[0].name, QStringLiteral("Alice B"));
    }

    void aContactsDevicesAreReplacedAsAWhole() {
        ContactStore contacts(*m_store->db);
        QVERIFY(contacts.setDevices(42, {1, 2, 3}));
        QVERIFY(contacts.setDevices(42, {3, 1}));
        QCOMPARE(*contacts.devices(42), (std::vector<DeviceId>{1, 3}));
        QVERIFY(contacts.devices(43)->empty());
    }

    void savingAGroupReplacesItsMembers() {
        GroupStore groups(*m_store->db);
        GroupRecord g;
        g.chatId = QStringLiteral("g:abc");
        g.secret = QByteArray(32, 's');
        g.name = QStringLiteral("Hiking Club");
        g.members = {{1, GroupRole::admin}, {42, GroupRole::member}, {43, GroupRole::member}};
        QVERIFY(groups.save(g));
        g.members = {{1, GroupRole::admin}, {43, GroupRole::admin}};
        g.description = QStringLiteral("weekends");
        QVERIFY(groups.save(g));
        auto stored = **groups.byId(g.chatId);
        QCOMPARE(stored.members.size(), size_t(2));
        QCOMPARE(stored.members[1].userId, UserId(43));
        QVERIFY(stored.members[1].role == GroupRole::admin);
        QCOMPARE(stored.description, QStringLiteral("weekends"));
        QCOMPARE(groups.byName(QStringLiteral("hiking club"))->size(), size_t(1));
        QCOMPARE(groups.byName(QStringLiteral("hiking club"))->front().chatId, g.chatId);
        // Two groups may share a name: both are found.
        GroupRecord twin = g;
        twin.chatId = QStringLiteral("g:abd");
        QVERIFY(groups.save(twin));
        QCOMPARE(groups.byName(QStringLiteral("Hiking Club"))->size(), size_t(2));
        QVERIFY(groups.remove(twin.chatId));
        QVERIFY(groups.setSecret(g.chatId, QByteArray(32, 't')));
        QCOMPARE((*groups.byId(g.chatId))->secret, QByteArray(32, 't'));
        QCOMPARE(groups.all()->size(), size_t(1));
        QVERIFY(groups.remove(g.chatId));
        QVERIFY(!*groups.byId(g.chatId));
        QVERIFY(groups.all()->empty());
    }

    void senderKeySharesAreRememberedUntilCleared() {
        GroupStore groups(*m_store->db);
        const QString id = QStringLiteral("g:abc");
        QVERIFY(!*groups.senderKeyShared(id, 42, 1));
        QVERIFY(groups.markSenderKeyShared(id, 42, 1));
        QVERIFY(groups.markSenderKeyShared(id, 42, 1));
        QVERIFY(*groups.senderKeyShared(id, 42, 1));
        QVERIFY(!*groups.senderKeyShared(id, 42, 2));
        QVERIFY(groups.clearSenderKeyShares(id));
        QVERIFY(!*groups.senderKeyShared(id, 42, 1));
    }

    void theOutboxReturnsEntriesOldestFirstAndCountsAttempts() {
        OutboxStore outbox(*m_store->db);
        const qint64 first = *outbox.enqueue(OutboxEntry{0, QStringLiteral("d:1:42"), QStringLiteral("c1"), "{\"a\":1}", 5, 0});
        const qint64 second = *outbox.enqueue(OutboxEntry{0, QStringLiteral("d:1:43"), QStringLiteral("c2"), "{}", 0, 0});
        QVERIFY(first < second);
        QVERIFY(outbox.bumpAttempts(first));
        auto pending = *outbox.pending();
        QCOMPARE(pending.size(), size_t(2));
        QCOMPARE(pending[0].clientMsgId, QStringLiteral("c1"));
        QCOMPARE(pending[0].attempts, 1);
        QCOMPARE(pending[0].localMessageId, 5);
        QCOMPARE(pending[0].content, QByteArray("{\"a\":1}"));
        QCOMPARE((*outbox.byClientMsgId(QStringLiteral("c2")))->id, second);
        QVERIFY(outbox.remove(first));
        QCOMPARE(outbox.pending()->size(), size_t(1));
        QVERIFY(!outbox.enqueue(OutboxEntry{}));
    }
};

QTEST_GUILESS_MAIN(TestClientRepositories)
#include "tst_client_repositories.moc"
