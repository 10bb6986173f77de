// store-insert (MessageStore::insert, one transaction per message and batched) and search
// (MessageStore::search over one profile grown to each size in turn).
#include "scenarios.h"

#include "measure.h"
#include "profile_gen.h"
#include "report.h"

#include "client/store/database.h"
#include "client/store/message_store.h"

#include <QFileInfo>

#include <algorithm>
#include <cstdio>

namespace natter::benchclient {

using namespace natter::client;

namespace {

const QByteArray kPassphrase = QByteArrayLiteral("bench-passphrase");

std::unique_ptr<store::ProfileStore> openProfile(const QString& name, const QString& dir) {
    const auto paths = must(store::ProfilePaths::forName(name, dir), "profile path");
    return must(store::ProfileStore::openWithPassphrase(paths, kPassphrase), "open profile");
}

MessageRecord incoming(qint64 i, const QString& text) {
    MessageRecord m;
    m.chatId = QStringLiteral("dm:1:%1").arg(2 + i % 50);
    m.messageId = MessageId(i + 1);
    m.clientMsgId = QStringLiteral("c-%1").arg(i);
    m.senderId = UserId(2 + i % 50);
    m.senderDevice = 1;
    m.seq = Seq(i / 50 + 1);
    m.timestamp = 1'700'000'000'000 + i * 1000;
    m.direction = MessageDirection::incoming;
    m.kind = MessageKind::text;
    m.state = MessageState::delivered;
    m.text = text;
    return m;
}

} // namespace

void runStoreInsert(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish) {
    Vocabulary words;
    std::mt19937_64 rng(7);
    for (const qint64 n : sizes) {
        auto profile = openProfile(QStringLiteral("insert-%1").arg(n), dir);
        auto& messages = profile->messages();
        std::vector<QString> texts;
        for (qint64 i = 0; i < n; ++i) texts.push_back(ProfileGenerator::messageText(words, rng));
        // One transaction per message (a message arriving alone): durable commit each time.
        const qint64 single = std::min<qint64>(n, 1000);
        RunResult a;
        a.scenario = QStringLiteral("store-insert");
        a.variant = QStringLiteral("autocommit");
        a.sizes = QJsonObject{{QStringLiteral("messages"), double(single)}};
        std::vector<double> samples;
        double cpu0 = selfCpuSeconds();
        Stopwatch wall;
        for (qint64 i = 0; i < single; ++i) {
            Stopwatch t;
            if (!must(messages.insert(incoming(i, texts[std::size_t(i)])), "insert").inserted)
                throw RunFailure("a new message was treated as a duplicate");
            samples.push_back(t.us());
        }
        a.wallS = wall.seconds();
        a.cpuS = selfCpuSeconds() - cpu0;
        a.ops = double(single);
        a.opsPerS = a.ops / a.wallS;
        a.usPerOp = a.wallS * 1e6 / a.ops;
        setLatencies(a, samples);
        a.ok = true;
        publish(a);
        // Batched: --batch messages per transaction (a sync burst), same insert path.
        RunResult b;
        b.scenario = QStringLiteral("store-insert");
        b.variant = QStringLiteral("batch");
        b.sizes = QJsonObject{{QStringLiteral("messages"), double(n)}, {QStringLiteral("batch"), o.batch}};
        samples.clear();
        cpu0 = selfCpuSeconds();
        Stopwatch bwall;
        for (qint64 start = 0; start < n; start += o.batch) {
            Stopwatch t;
            const qint64 end = std::min<qint64>(n, start + o.batch);
            must(profile->database().transaction([&]() -> Expected<void> {
                for (qint64 i = start; i < end; ++i) {
                    auto r = messages.insert(incoming(single + i, texts[std::size_t(i)]));
                    if (!r) return r.error();
                }
                return {};
            }), "batched insert");
            samples.push_back(t.us() / double(end - start));
        }
        b.wallS = bwall.seconds();
        b.cpuS = selfCpuSeconds() - cpu0;
        b.ops = double(n);
        b.opsPerS = b.ops / b.wallS;
        b.usPerOp = b.wallS * 1e6 / b.ops;
        setLatencies(b, samples);
        b.extras.insert(QStringLiteral("latency_is"), QStringLiteral("per message, averaged per batch"));
        b.ok = true;
        publish(b);
    }
    return;
}

namespace {

struct QueryClass {
    const char* name;
    std::function<QString(int)> query; // the i-th query of this class
};

std::vector<QueryClass> queryClasses() {
    return {
        {"rare", [](int i) { return Vocabulary::word(10000 + i % 40); }},
        {"medium", [](int i) { return Vocabulary::word(100 + i % 40); }},
        {"common", [](int i) { return Vocabulary::word(1 + i % 5); }},
        {"two_words", [](int i) { return Vocabulary::word(20 + i % 20) + QLatin1Char(' ') + Vocabulary::word(200 + i % 40); }},
        {"prefix", [](int i) { return Vocabulary::word(300 + i % 40).left(4); }},
    };
}

constexpr double kClassBudgetS = 4.0; // bound per query class and size
constexpr qint64 kInsertsPerSize = 200; // single inserts timed after the queries (same bound)

} // namespace

void runSearch(const Options& o, const std::vector<qint64>& sizesIn, const QString& dir, const Emit& publish) {
    std::vector<qint64> sizes = sizesIn;
    std::sort(sizes.begin(), sizes.end());
    auto profile = openProfile(QStringLiteral("search"), dir);
    ProfileGenerator generator(*profile, UserId(1), 1000);
    for (const qint64 n : sizes) {
        RunResult r;
        r.scenario = QStringLiteral("search");
        r.sizes = QJsonObject{{QStringLiteral("messages"), double(n)}};
        const qint64 before = generator.generated();
        const double genBefore = generator.insertSeconds();
        generator.growTo(n, std::max(o.batch, 5000), n >= 200'000);
        if (generator.generated() > before)
            r.extras.insert(QStringLiteral("generate_msg_per_s"),
                            double(generator.generated() - before) / (generator.insertSeconds() - genBefore));
        r.extras.insert(QStringLiteral("db_mib"), databaseMib(profile->paths().databasePath()));
        std::vector<double> all;
        double hits = 0;
        const double cpu0 = selfCpuSeconds();
        Stopwatch wall;
        for (const auto& c : queryClasses()) {
            std::vector<double> samples;
            Stopwatch classWall;
            double classHits = 0;
            for (int i = 0; i < o.queries && (i == 0 || classWall.seconds() < kClassBudgetS); ++i) {
                const QString q = c.query(i);
                Stopwatch t;
                const auto found = must(profile->messages().search(q, 50), "search");
                samples.push_back(t.us());
                classHits += double(found.size());
            }
            const QString name = QString::fromLatin1(c.name);
            r.extras.insert(name + QStringLiteral("_p50_us"), percentile(samples, 50));
            r.extras.insert(name + QStringLiteral("_p99_us"), percentile(samples, 99));
            r.extras.insert(name + QStringLiteral("_hits"), classHits / double(samples.size()));
            all.insert(all.end(), samples.begin(), samples.end());
            hits += classHits;
        }
        r.wallS = wall.seconds();
        r.cpuS = selfCpuSeconds() - cpu0;
        r.ops = double(all.size());
        r.opsPerS = r.ops / r.wallS;
        r.usPerOp = r.wallS * 1e6 / r.ops;
        setLatencies(r, all);
        r.extras.insert(QStringLiteral("limit"), 50);
        // How a single arriving message's insert (own transaction) fares at this store size.
        std::vector<double> inserts;
        std::mt19937_64 rng{static_cast<std::uint64_t>(n)};
        Vocabulary words;
        Stopwatch insertWall;
        for (qint64 i = 0; i < kInsertsPerSize && (i < 3 || insertWall.seconds() < kClassBudgetS); ++i) {
            MessageRecord m = incoming(1'000'000'000 + n + i, ProfileGenerator::messageText(words, rng));
            Stopwatch t;
            must(profile->messages().insert(m), "insert");
            inserts.push_back(t.us());
        }
        r.extras.insert(QStringLiteral("insert_p50_us"), percentile(inserts, 50));
        r.extras.insert(QStringLiteral("insert_p99_us"), percentile(inserts, 99));
        r.extras.insert(QStringLiteral("insert_samples"), double(inserts.size()));
        r.ok = true;
        publish(r);
    }
    return;
}

} // namespace natter::benchclient
