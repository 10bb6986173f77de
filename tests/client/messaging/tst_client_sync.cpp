// Client::syncOnce, the way one-shot commands go online: it calls back only once the work that
// incoming events started (a new group's details and name) is done, and when that work cannot
// finish it gives up at its limit and names what was still under way. Real natterd, real
// sockets; a TCP proxy loses the group fetch on the wire.
#include "client_harness.h"
#include "natterd_process.h"
#include "tcp_proxy.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/store/chat_store.h"
#include "client/store/outbox_store.h"
#include "client/store/profile_store.h"

#include <QTest>

using namespace natter::test;
using natter::client::Client;

class TestClientSync : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<TcpProxy> m_proxy;
    std::unique_ptr<ClientHarness> m_clients;
    Client* m_alice = nullptr;

    static QString titleOf(Client* c, const QString& chatId) {
        auto chat = c->store().chats().byId(chatId);
        return chat && *chat ? (*chat)->title : QString();
    }
    // Alice makes a group with Bob while Bob's profile is closed; her secret for him is on natterd.
    QString groupMadeWhileBobIsAway(const QString& name) {
        m_clients->close("bob");
        auto chat = await<QString>([&](auto done) { m_alice->groups().create(name, {m_bobId}, done); });
        if (!chat) return {};
        const bool secretSent = QTest::qWaitFor(
            [&] { return natter::client::valueOr(m_alice->store().outbox().count(), -1) == 0; }, kClientTimeoutMs);
        return secretSent ? *chat : QString();
    }
    natter::client::Expected<Client::SyncOutcome> syncOnce(Client* c, Client::SyncLimits limits) {
        return await<Client::SyncOutcome>([&](auto done) { c->syncOnce(limits, done); }, 30000);
    }

    natter::protocol::UserId m_bobId = 0;

private slots:
    void init() {
        m_server = std::make_unique<NatterdProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_proxy = std::make_unique<TcpProxy>(m_server->port());
        QVERIFY(m_proxy->listen());
        m_clients = std::make_unique<ClientHarness>(m_proxy->url());
        m_alice = m_clients->signUp("alice", "+4915120000101", "Alice");
        Client* bob = m_clients->signUp("bob", "+4915120000102", "Bob");
        QVERIFY2(m_alice && bob, qPrintable(m_clients->lastError()));
        QVERIFY(m_clients->befriend(m_alice, "Bob", bob, "Alice"));
        m_bobId = bob->account().userId;
    }

    void cleanup() {
        m_clients.reset();
        m_proxy.reset();
        m_server.reset();
    }

    void aOneShotSyncCallsBackOnceTheGroupItLearnedAboutHasItsName() {
        const QString group = groupMadeWhileBobIsAway("Weekend Plans");
        QVERIFY(!group.isEmpty());
        Client* bob = m_clients->reopen("bob", false);
        QVERIFY2(bob, qPrintable(m_clients->lastError()));

        const auto synced = syncOnce(bob, Client::SyncLimits{});
        QVERIFY2(synced, qPrintable(synced ? QString() : synced.error().message));
        QVERIFY2(synced->settled, qPrintable(synced->unfinished));
        // At once, not eventually: a one-shot command reads the store right after this.
        QCOMPARE(titleOf(bob, group), QStringLiteral("Weekend Plans"));
    }

    void aOneShotSyncGivesUpAtItsLimitNamingTheWorkStillUnderWay() {
        const QString group = groupMadeWhileBobIsAway("Lost on the wire");
        QVERIFY(!group.isEmpty());
        Client* bob = m_clients->reopen("bob", false);
        QVERIFY2(bob, qPrintable(m_clients->lastError()));
        // From the moment the group's event is stored, nothing Bob sends reaches natterd: the
        // fetch of the group's details it starts never gets an answer.
        connect(bob, &Client::messageAdded, this, [this, group](qint64, const QString& chatId) {
            if (chatId == group) m_proxy->setDropUpstream(true);
        });

        Client::SyncLimits limits;
        limits.settle = std::chrono::milliseconds(1500);
        const auto synced = syncOnce(bob, limits);
        QVERIFY2(synced, qPrintable(synced ? QString() : synced.error().message));
        QVERIFY(!synced->settled);
        QVERIFY2(synced->unfinished.contains("group details"), qPrintable(synced->unfinished));
        QCOMPARE(titleOf(bob, group), QStringLiteral("Group"));
    }
};

QTEST_GUILESS_MAIN(TestClientSync)
#include "tst_client_sync.moc"
