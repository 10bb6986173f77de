// Child processes of the process scenarios: a timed run of one command (wall time, CPU and
// peak RSS from wait4) and a natterd kept running on a free port for the whole scenario.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>
#include <sys/types.h>

namespace natter::benchclient {

struct ChildResult {
    int exitCode = -1;     // -1: killed by a signal or not started
    bool timedOut = false;
    double wallS = 0;      // fork -> reaped
    std::chrono::steady_clock::time_point started; // just before the fork
    double cpuS = 0;       // user + system of the child
    long maxRssKib = 0;    // peak RSS of the child
    QByteArray out, err;
    QString describe() const; // exit code and the tail of stderr, for errors
};

// Runs argv[0] with argv and the current environment plus `env` (KEY=VALUE entries);
// kills it after `timeout`.
ChildResult runChild(const QStringList& argv, const QStringList& env, std::chrono::milliseconds timeout);

// natterd with the benchmark flags of tools/bench (fixed verification code 123456, raised
// rate limits) on 127.0.0.1 and a free port; stopped with SIGTERM on destruction.
class Natterd {
public:
    Natterd(QString binary, QString dataDir);
    ~Natterd();
    Natterd(const Natterd&) = delete;
    Natterd& operator=(const Natterd&) = delete;

    // Starts and waits for the "listening on" line; throws RunFailure when it does not come up.
    void start();
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    double cpuSeconds() const; // so far, from /proc

private:
    QString m_binary, m_dataDir;
    pid_t m_pid = -1;
    int m_stdout = -1;
    int m_port = 0;
};

} // namespace natter::benchclient
