// The Redis layer of natterd against a real redis-server: hiredis on the Asio loop, reconnect
// after redis-server restarts or hangs, presence transitions, and token buckets shared by two clients.
#include "cluster/presence_scripts.h"
#include "cluster/redis_connection.h"
#include "cluster/shared_limits.h"
#include "redis_process.h"

#include <QTest>

#include <algorithm>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <optional>

using namespace natter::server;
using natter::test::RedisProcess;

namespace {

// Runs the io_context until `done` holds or the deadline passes (no fixed sleeps).
bool runUntil(boost::asio::io_context& io, const std::function<bool()>& done, int timeoutMs = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        io.restart();
        io.run_for(std::chrono::milliseconds(10));
    }
    return true;
}

// One command, awaited.
std::optional<RedisReply> call(boost::asio::io_context& io, RedisConnection& redis, const std::vector<std::string>& args) {
    std::optional<RedisReply> out;
    bool answered = false;
    redis.command(args, [&](std::optional<RedisReply> r) {
        out = std::move(r);
        answered = true;
    });
    if (!runUntil(io, [&] { return answered; })) return std::nullopt;
    return out;
}

RedisEndpoint endpointOf(const RedisProcess& redis) { return {"127.0.0.1", redis.port()}; }

long long presence(boost::asio::io_context& io, RedisConnection& redis, const char* script,
                   const std::vector<std::string>& args) {
    std::vector<std::string> all{"EVAL", script, "0"};
    all.insert(all.end(), args.begin(), args.end());
    const auto r = call(io, redis, all);
    return r && r->type == RedisReply::Type::integer ? r->integer : -1;
}

} // namespace

class TestRedisLayer : public QObject {
    Q_OBJECT
private slots:
    void redisUrlsAreParsedAndBadOnesRefused() {
        const auto ok = parseRedisUrl("redis://127.0.0.1:6390");
        QVERIFY(ok);
        QCOMPARE(ok->host, std::string("127.0.0.1"));
        QCOMPARE(ok->port, std::uint16_t(6390));
        QCOMPARE(parseRedisUrl("redis://cache.internal")->port, std::uint16_t(6379));
        QVERIFY(!parseRedisUrl("http://127.0.0.1:6379"));
        QVERIFY(!parseRedisUrl("redis://:6379"));
        QVERIFY(!parseRedisUrl("redis://127.0.0.1:0"));
        QVERIFY(!parseRedisUrl("redis://127.0.0.1:99999"));
        QVERIFY(!parseRedisUrl("redis://user@127.0.0.1:6379"));
    }

    void commandsAndPublishedMessagesArriveOnTheIoThread() {
        RedisProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        boost::asio::io_context io;
        RedisConnection commands(io, endpointOf(server), "commands");
        RedisConnection subscriber(io, endpointOf(server), "subscriber");
        std::vector<std::string> received;
        subscriber.setMessageHandler([&](std::string_view channel, std::string_view payload) {
            received.push_back(std::string(channel) + "=" + std::string(payload));
        });
        subscriber.subscribe("nd:1.1");
        commands.start();
        subscriber.start();
        QVERIFY(runUntil(io, [&] { return commands.up() && subscriber.up(); }));

        const auto set = call(io, commands, {"SET", "k", std::string("a\0b", 3)});
        QVERIFY(set && set->isOk());
        const auto get = call(io, commands, {"GET", "k"});
        QVERIFY(get && get->str == std::string("a\0b", 3)); // binary-safe

        // The subscription is live once PUBLISH counts a receiver.
        QVERIFY(runUntil(io, [&] {
            const auto n = call(io, commands, {"PUBLISH", "nd:1.1", "hello"});
            return n && n->integer == 1;
        }));
        QVERIFY(runUntil(io, [&] { return !received.empty(); }));
        QCOMPARE(received.front(), std::string("nd:1.1=hello"));

        subscriber.unsubscribe("nd:1.1");
        QVERIFY(runUntil(io, [&] {
            const auto n = call(io, commands, {"PUBLISH", "nd:1.1", "nobody"});
            return n && n->integer == 0;
        }));
    }

    void aConnectionComesBackByItselfAfterRedisServerRestarts() {
        RedisProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        boost::asio::io_context io;
        RedisConnection commands(io, endpointOf(server), "commands");
        RedisConnection subscriber(io, endpointOf(server), "subscriber");
        int downs = 0;
        int messages = 0;
        commands.onDown([&] { ++downs; });
        subscriber.setMessageHandler([&](std::string_view, std::string_view) { ++messages; });
        subscriber.subscribe("nd:7.2");
        commands.start();
        subscriber.start();
        QVERIFY(runUntil(io, [&] { return commands.up() && subscriber.up(); }));

        server.kill9();
        QVERIFY(runUntil(io, [&] { return !commands.up() && !subscriber.up(); }));
        QCOMPARE(downs, 1);
        // While it is down a command is answered at once with "not sent", never left hanging.
        bool failed = false;
        commands.command({"PING"}, [&](std::optional<RedisReply> r) { failed = !r; });
        QVERIFY(runUntil(io, [&] { return failed; }));

        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(runUntil(io, [&] { return commands.up() && subscriber.up(); }, 10000));
        QCOMPARE(commands.reconnects(), std::uint64_t(1));
        // The subscriber subscribed again by itself.
        QVERIFY(runUntil(io, [&] {
            const auto n = call(io, commands, {"PUBLISH", "nd:7.2", "back"});
            return n && n->integer == 1;
        }));
        QVERIFY(runUntil(io, [&] { return messages >= 1; }));
    }

    void aHungRedisFailsWaitingCommandsWithinTheTimeoutAndTheConnectionRecoversWhenItResumes() {
        RedisProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        boost::asio::io_context io;
        RedisConnection commands(io, endpointOf(server), "commands", std::chrono::milliseconds(300));
        int downs = 0;
        commands.onDown([&] { ++downs; });
        commands.start();
        QVERIFY(runUntil(io, [&] { return commands.up(); }));

        server.pause(); // SIGSTOP: the socket stays open, nothing is answered
        bool answered = false;
        std::optional<RedisReply> reply = RedisReply{};
        const auto sent = std::chrono::steady_clock::now();
        commands.command({"PING"}, [&](std::optional<RedisReply> r) {
            reply = std::move(r);
            answered = true;
        });
        QVERIFY2(runUntil(io, [&] { return answered; }, 3000), "a command to a stopped Redis was never answered");
        QVERIFY(!reply);
        QVERIFY(std::chrono::steady_clock::now() - sent < std::chrono::milliseconds(2000));
        QVERIFY(!commands.up());
        QCOMPARE(downs, 1);
        QVERIFY(commands.timeouts() >= 1);
        // Reconnecting to the stopped server does not count as up: the kernel accepts the
        // connection, but Redis does not answer its PING.
        QVERIFY(runUntil(io, [&] { return commands.timeouts() >= 2; }, 5000));
        QVERIFY(!commands.up());

        server.resume();
        QVERIFY(runUntil(io, [&] { return commands.up(); }, 10000));
        const auto pong = call(io, commands, {"PING"});
        QVERIFY(pong && pong->str == "PONG");
        QCOMPARE(downs, 1);
    }

    void presenceTurnsOnWithTheFirstDeviceAndOffWithTheLastOnAnyNode() {
        RedisProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        boost::asio::io_context io;
        RedisConnection redis(io, endpointOf(server), "commands");
        redis.start();
        QVERIFY(runUntil(io, [&] { return redis.up(); }));
        using namespace presence_scripts;
        QCOMPARE(presence(io, redis, kUp, {"30000", "5", "1@nodeA"}), 1LL);  // came online
        QCOMPARE(presence(io, redis, kUp, {"30000", "5", "2@nodeB"}), 0LL);  // already online
        QCOMPARE(presence(io, redis, kUp, {"30000", "5", "1@nodeB"}), 0LL);  // device 1 moved to B
        QCOMPARE(presence(io, redis, kOnline, {"5"}), 3LL);
        QCOMPARE(presence(io, redis, kDown, {"5", "1@nodeA"}), 0LL);         // its old connection ends
        QCOMPARE(presence(io, redis, kDown, {"5", "2@nodeB"}), 0LL);
        QCOMPARE(presence(io, redis, kDown, {"5", "1@nodeB"}), 1LL);         // the last one: offline
        QCOMPARE(presence(io, redis, kDown, {"5", "1@nodeB"}), 0LL);         // only once
        QCOMPARE(presence(io, redis, kOnline, {"5"}), 0LL);
    }

    void aDeadNodesDevicesExpireAndTheReaperReportsTheirUserOnce() {
        RedisProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        boost::asio::io_context io;
        RedisConnection redis(io, endpointOf(server), "commands");
        redis.start();
        QVERIFY(runUntil(io, [&] { return redis.up(); }));
        using namespace presence_scripts;
        QCOMPARE(presence(io, redis, kUp, {"300", "8", "1@dead"}), 1LL);   // a node that stops refreshing
        QCOMPARE(presence(io, redis, kUp, {"60000", "9", "1@alive"}), 1LL);
        std::vector<std::string> offline;
        QVERIFY(runUntil(io, [&] {
            const auto r = call(io, redis, {"EVAL", kReap, "0", "100"});
            if (r && r->type == RedisReply::Type::array)
                for (const auto& u : r->elements) offline.push_back(u.str);
            return !offline.empty();
        }));
        QCOMPARE(offline, std::vector<std::string>{"8"});
        const auto again = call(io, redis, {"EVAL", kReap, "0", "100"});
        QVERIFY(again && again->elements.empty());
        QCOMPARE(presence(io, redis, kOnline, {"9"}), 1LL);
    }

    // A node restarted with a lower --presence-timeout rewrites its devices' expiry; when it
    // then dies, the reaper finds their users within the new timeout, not the old one.
    void aLoweredPresenceTimeoutShortensTheExpiryWrittenBefore() {
        RedisProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        boost::asio::io_context io;
        RedisConnection redis(io, endpointOf(server), "commands");
        redis.start();
        QVERIFY(runUntil(io, [&] { return redis.up(); }));
        using namespace presence_scripts;
        QCOMPARE(presence(io, redis, kUp, {"600000", "8", "1@node"}), 1LL);  // under a 10-minute timeout
        QCOMPARE(presence(io, redis, kUp, {"600000", "9", "1@node"}), 1LL);
        QCOMPARE(presence(io, redis, kRefresh, {"300", "8", "1@node"}), 0LL); // restarted with 300 ms: heartbeat
        QCOMPARE(presence(io, redis, kUp, {"300", "9", "1@node"}), 0LL);      // ... and a reconnect
        std::vector<std::string> offline;
        QVERIFY2(runUntil(io, [&] {
            const auto r = call(io, redis, {"EVAL", kReap, "0", "100"});
            if (r && r->type == RedisReply::Type::array)
                for (const auto& u : r->elements) offline.push_back(u.str);
            return offline.size() >= 2;
        }), "the users were not reaped within the new timeout");
        std::sort(offline.begin(), offline.end());
        QCOMPARE(offline, (std::vector<std::string>{"8", "9"}));
    }

    void aTokenBucketIsSharedByTwoNodes() {
        RedisProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        boost::asio::io_context io;
        RedisConnection a(io, endpointOf(server), "node-a");
        RedisConnection b(io, endpointOf(server), "node-b");
        a.start();
        b.start();
        QVERIFY(runUntil(io, [&] { return a.up() && b.up(); }));
        SharedLimits limitsA(&a), limitsB(&b);
        // A burst of 10 at a negligible refill rate: the two nodes together get 10, not 20.
        int admitted = 0, refused = 0;
        for (int i = 0; i < 12; ++i) {
            auto count = [&](bool ok) { ++(ok ? admitted : refused); };
            limitsA.take("codes:global", 0.001, 10, count);
            limitsB.take("codes:global", 0.001, 10, count);
        }
        QVERIFY(runUntil(io, [&] { return admitted + refused == 24; }));
        QCOMPARE(admitted, 10);
        QCOMPARE(refused, 14);
    }

    void withoutRedisEveryTakeSucceedsAndLocalLimitsApply() {
        boost::asio::io_context io;
        SharedLimits none;
        bool admitted = false;
        none.take("g:x", 1, 1, [&](bool ok) { admitted = ok; });
        QVERIFY(admitted);
        QVERIFY(!none.shared());
    }
};

QTEST_GUILESS_MAIN(TestRedisLayer)
#include "tst_redis_layer.moc"
