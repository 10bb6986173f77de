// cli-send (one-shot `natter send` processes against a real natterd) and desktop-start
// (natter-desktop --screenshot on a generated profile, offscreen): wall time, CPU, peak RSS.
#include "scenarios.h"

#include "child_process.h"
#include "measure.h"
#include "profile_gen.h"
#include "report.h"

#include "client/store/account_store.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>
#include <optional>
#include <utility>

namespace natter::benchclient {

using namespace natter::client;
using namespace std::chrono_literals;

namespace {

const QString kPassphrase = QStringLiteral("bench-passphrase");

// A natterd and CLI profiles under one XDG_DATA_HOME, with the passphrase in the environment.
class AppFixture {
public:
    AppFixture(const Options& o, const QString& dir)
        : m_options(o), m_home(dir + QStringLiteral("/home")), m_server(o.natterd, dir + QStringLiteral("/natterd")) {
        QDir().mkpath(m_home);
        if (!QFile::exists(o.natter)) throw RunFailure("natter CLI not found at " + o.natter.toStdString());
        m_server.start();
    }
    QStringList env() const {
        return {QStringLiteral("XDG_DATA_HOME=") + m_home, QStringLiteral("NATTER_PASSPHRASE=") + kPassphrase,
                QStringLiteral("NATTER_NO_KEYCHAIN=1")};
    }
    QString home() const { return m_home; }
    const Natterd& server() const { return m_server; }

    ChildResult natter(const QString& profile, const QStringList& args) const {
        return runChild(QStringList{m_options.natter, QStringLiteral("--profile"), profile} + args, env(), 60s);
    }
    void natterOk(const QString& profile, const QStringList& args) const {
        const ChildResult r = natter(profile, args);
        if (r.exitCode != 0)
            throw RunFailure(("natter " + args.join(QLatin1Char(' ')) + ": " + r.describe()).toStdString());
    }
    void registerProfile(const QString& profile, const QString& phone, const QString& name) const {
        natterOk(profile, {QStringLiteral("--server"), m_server.url(), QStringLiteral("register"), phone,
                           QStringLiteral("--name"), name, QStringLiteral("--code"), QStringLiteral("123456")});
    }

private:
    const Options& m_options;
    QString m_home;
    Natterd m_server;
};

// natter-desktop --screenshot prints when its first frame was drawn and when startup settled
// on the steady clock; relative to the fork, in ms.
std::optional<std::pair<double, double>> startupTimes(const ChildResult& c) {
    static const QRegularExpression line(QStringLiteral("first_frame_ns=(\\d+) settled_ns=(\\d+)"));
    const auto m = line.match(QString::fromUtf8(c.out));
    if (!m.hasMatch() || m.captured(1) == QLatin1String("0")) return std::nullopt;
    const double forkNs = double(std::chrono::duration_cast<std::chrono::nanoseconds>(c.started.time_since_epoch()).count());
    return std::pair{(m.captured(1).toDouble() - forkNs) / 1e6, (m.captured(2).toDouble() - forkNs) / 1e6};
}

} // namespace

void runCliSend(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish) {
    AppFixture app(o, dir);
    app.registerProfile(QStringLiteral("alice"), QStringLiteral("+15550000001"), QStringLiteral("Alice"));
    app.registerProfile(QStringLiteral("bob"), QStringLiteral("+15550000002"), QStringLiteral("Bob"));
    app.natterOk(QStringLiteral("alice"), {QStringLiteral("contacts"), QStringLiteral("add"), QStringLiteral("+15550000002"),
                                           QStringLiteral("--name"), QStringLiteral("Bob")});
    app.natterOk(QStringLiteral("bob"), {QStringLiteral("contacts"), QStringLiteral("add"), QStringLiteral("+15550000001"),
                                         QStringLiteral("--name"), QStringLiteral("Alice")});
    qint64 sent = 0;
    for (const qint64 n : sizes) {
        RunResult r;
        r.scenario = QStringLiteral("cli-send");
        r.sizes = QJsonObject{{QStringLiteral("sends"), double(n)}};
        std::vector<double> samples;
        long maxRss = 0;
        const double serverCpu0 = app.server().cpuSeconds();
        Stopwatch wall;
        for (qint64 i = 0; i < n; ++i, ++sent) {
            // Bob stays offline: `sent` is the server's ack that it stored the message.
            const ChildResult c = app.natter(QStringLiteral("alice"), {QStringLiteral("send"), QStringLiteral("Bob"),
                                                                       QStringLiteral("benchmark message %1").arg(sent)});
            if (c.exitCode != 0 || !c.out.contains("sent"))
                throw RunFailure(("natter send: " + c.describe() + " / " + QString::fromUtf8(c.out)).toStdString());
            if (sent == 0) r.extras.insert(QStringLiteral("first_send_ms"), c.wallS * 1000);
            samples.push_back(c.wallS * 1e6);
            r.cpuS += c.cpuS;
            maxRss = std::max(maxRss, c.maxRssKib);
        }
        r.wallS = wall.seconds();
        r.ops = double(n);
        r.opsPerS = r.ops / r.wallS;
        r.usPerOp = r.wallS * 1e6 / r.ops;
        setLatencies(r, samples);
        r.extras.insert(QStringLiteral("cpu_s_is"), QStringLiteral("natter processes (user+sys)"));
        r.extras.insert(QStringLiteral("natterd_cpu_s"), app.server().cpuSeconds() - serverCpu0);
        r.extras.insert(QStringLiteral("cli_max_rss_kib"), double(maxRss));
        r.ok = true;
        publish(r);
    }
    return;
}

void runDesktopStart(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish) {
    if (sizes.size() % 2 != 0) throw RunFailure("desktop-start sizes come in pairs: CHATS MESSAGES");
    if (!QFile::exists(o.desktop)) {
        RunResult r;
        r.scenario = QStringLiteral("desktop-start");
        r.error = QStringLiteral("pending the desktop app: %1 not found").arg(o.desktop);
        publish(r);
        return;
    }
    AppFixture app(o, dir);
    for (std::size_t k = 0; k < sizes.size(); k += 2) {
        const int chats = int(sizes[k]);
        const qint64 messages = sizes[k + 1];
        RunResult r;
        r.scenario = QStringLiteral("desktop-start");
        r.extras.insert(QStringLiteral("platform"), o.platform);
        r.sizes = QJsonObject{{QStringLiteral("chats"), chats}, {QStringLiteral("messages"), double(messages)}};
        const QString profile = QStringLiteral("desk%1").arg(k / 2);
        app.registerProfile(profile, QStringLiteral("+1555100%1").arg(k / 2, 4, 10, QLatin1Char('0')),
                            QStringLiteral("Desk"));
        QString busiest;
        {
            const auto paths = must(store::ProfilePaths::forName(profile, app.home()), "profile path");
            auto store = must(store::ProfileStore::openWithPassphrase(paths, kPassphrase.toUtf8()), "open profile");
            const auto account = must(store->account().load(), "load account");
            if (!account) throw RunFailure("the registered profile has no account");
            ProfileGenerator generator(*store, account->userId, chats);
            Stopwatch gen;
            generator.growTo(messages, std::max(o.batch, 5000), messages >= 200'000);
            busiest = generator.chatId(0);
            r.extras.insert(QStringLiteral("generate_s"), gen.seconds());
            r.extras.insert(QStringLiteral("db_mib"), databaseMib(paths.databasePath()));
        }
        QStringList env = app.env();
        env << QStringLiteral("QT_QPA_PLATFORM=") + o.platform;
        if (o.platform == QLatin1String("xcb")) env << QStringLiteral("DISPLAY=") + qEnvironmentVariable("DISPLAY");
        std::vector<double> samples, firstFrameMs, settledMs;
        long maxRss = 0;
        Stopwatch wall;
        const int runs = o.tiny ? 1 : o.runs;
        for (int run = 0; run < runs; ++run) {
            const QString png = dir + QStringLiteral("/%1-%2.png").arg(profile).arg(run);
            const ChildResult c = runChild({o.desktop, QStringLiteral("--profile"), profile, QStringLiteral("--screenshot"), png},
                                           env, 120s);
            if (c.exitCode != 0 || !QFile::exists(png))
                throw RunFailure(("natter-desktop --screenshot: " + c.describe()).toStdString());
            samples.push_back(c.wallS * 1e6);
            if (const auto t = startupTimes(c)) {
                firstFrameMs.push_back(t->first);
                settledMs.push_back(t->second);
            }
            r.cpuS += c.cpuS;
            maxRss = std::max(maxRss, c.maxRssKib);
            if (run == 0) r.extras.insert(QStringLiteral("screen"), QString::fromUtf8(c.out.trimmed()).section(QLatin1Char('\''), 1, 1));
        }
        r.wallS = wall.seconds();
        // Once more with the busiest chat opened (its newest page of messages in the frame).
        const QString png = dir + QStringLiteral("/%1-open.png").arg(profile);
        const ChildResult open = runChild({o.desktop, QStringLiteral("--profile"), profile, QStringLiteral("--screenshot"), png,
                                           QStringLiteral("--open-chat"), busiest}, env, 120s);
        if (open.exitCode != 0 || !QFile::exists(png))
            throw RunFailure(("natter-desktop --open-chat: " + open.describe()).toStdString());
        r.extras.insert(QStringLiteral("open_chat_ms"), open.wallS * 1000);
        r.extras.insert(QStringLiteral("open_chat_peak_rss_mib"), double(open.maxRssKib) / 1024.0);
        r.ops = double(runs);
        r.opsPerS = r.ops / r.wallS;
        r.usPerOp = r.wallS * 1e6 / r.ops;
        setLatencies(r, samples);
        // natter-desktop waits a fixed 700 ms (kSettleMs in app-desktop/screenshot.cpp) after
        // startup settled before it grabs the frame; the figure without it:
        r.extras.insert(QStringLiteral("p50_minus_settle_ms"), percentile(samples, 50) / 1000.0 - 700.0);
        // Cold start as users see it: fork to the first frame drawn, and to startup settled.
        if (!firstFrameMs.empty()) {
            r.extras.insert(QStringLiteral("first_frame_ms_p50"), percentile(firstFrameMs, 50));
            r.extras.insert(QStringLiteral("first_frame_ms_max"), *std::max_element(firstFrameMs.begin(), firstFrameMs.end()));
            r.extras.insert(QStringLiteral("settled_ms_p50"), percentile(settledMs, 50));
        }
        r.extras.insert(QStringLiteral("peak_rss_mib"), double(maxRss) / 1024.0);
        r.extras.insert(QStringLiteral("runs"), runs);
        r.ok = true;
        publish(r);
    }
    return;
}

} // namespace natter::benchclient
