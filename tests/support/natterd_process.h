// Runs the real natterd binary for an integration test: a private data directory, an
// ephemeral port read from natterd's "listening on" stdout line, stderr kept in a file so it
// can be printed when a test fails. Every wait is bounded.
#pragma once

#include "adjustable_clock.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>
#include <utility>

namespace natter::test {

// What a short-lived natterd run (e.g. --help) produced.
struct ProcessOutcome {
    bool finished = false;        // false: it had to be killed after the timeout
    int exitCode = -1;            // valid when finished and exitStatus is NormalExit
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QByteArray standardOutput;
    QByteArray standardError;
};

class NatterdProcess {
public:
    // extraArgs are appended after --listen 127.0.0.1:0 --data-dir <tmp> --verification fixed:123456
    // (the last two left out when extraArgs has its own --verification).
    explicit NatterdProcess(QStringList extraArgs = {});
    ~NatterdProcess(); // kills a still-running natterd; prints its stderr if the test failed
    NatterdProcess(const NatterdProcess&) = delete;
    NatterdProcess& operator=(const NatterdProcess&) = delete;

    // For the next start (e.g. a restart): replaces the extra arguments.
    void setExtraArgs(QStringList extraArgs) { m_extraArgs = std::move(extraArgs); }
    // For the next start: --data-dir is this path (which may not exist yet) instead of a
    // temporary directory of this object's own. The caller removes it.
    void setDataDir(const QString& path) { m_dataDirOverride = path; }
    // For the next start: --store is this (sqlite:PATH or a postgres:// URI). Without it natterd
    // runs on SQLite in its data dir, or, when NATTER_TEST_STORE=postgres, on a fresh database of
    // the executable's private PostgreSQL (kept across restarts of this object).
    void setStore(const QString& store) { m_store = store; }
    QString store() const { return m_store; }
    // For the next start: listen on this loopback port instead of an ephemeral one (0), e.g. to
    // come back where clients remember the server after a stop.
    void setListenPort(quint16 port) { m_listenPort = port; }
    // For the next start: natterd's open-file limit (RLIMIT_NOFILE) begins at soft/hard.
    void setFileLimit(quint64 soft, quint64 hard) { m_fileLimit = {soft, hard}; }

    // For this and every later start: natterd's wall clock moves when advanceClock() says so,
    // on top of running (see AdjustableClock); the offset is kept across restarts.
    void useAdjustableClock();
    // Moves the wall clock of natterd (running or next started) forward. False without
    // useAdjustableClock() or when the clock cannot be moved.
    bool advanceClock(std::chrono::milliseconds by);

    // Starts natterd and waits (bounded) for the listening line. On false, errorString() says why.
    bool start(int timeoutMs = 20000);
    // SIGTERM, then waits for the exit. Returns the exit code, or -1 when it crashed or did
    // not exit within the timeout (then it is killed).
    int terminate(int timeoutMs = 15000);
    // Same with SIGINT.
    int interrupt(int timeoutMs = 15000);
    // SIGKILL and reap.
    void kill9();
    // Starts again on the same data directory (a new ephemeral port). Stops a running one with SIGKILL first.
    bool restart(int timeoutMs = 20000);
    bool isRunning() const;

    quint16 port() const { return m_port; }
    bool isTls() const { return m_tls; }
    QUrl baseUrl() const;  // http(s)://127.0.0.1:PORT
    QUrl wsUrl() const;    // ws(s)://127.0.0.1:PORT/ws
    QString dataDir() const { return m_dataDirOverride.isEmpty() ? m_dataDir.path() : m_dataDirOverride; }
    QString errorString() const { return m_error; }
    QString listeningLine() const { return m_listeningLine; }
    qint64 pid() const;

    // Everything natterd wrote to stderr (across restarts).
    QByteArray standardError() const;
    // Prints standardError() through qWarning when the current test function failed.
    void printStderrIfTestFailed() const;

    // The natterd binary this build tests (compile definition NATTERD_BINARY).
    static QString binaryPath();
    // Runs natterd with exactly `args` and waits for it to exit (for --help and bad flags).
    static ProcessOutcome runOnce(const QStringList& args, int timeoutMs = 15000);

private:
    QStringList m_extraArgs;
    QTemporaryDir m_dataDir;
    QString m_dataDirOverride;
    QString m_store;
    std::optional<std::pair<quint64, quint64>> m_fileLimit;
    std::unique_ptr<AdjustableClock> m_clock;
    QTemporaryDir m_logDir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    quint16 m_listenPort = 0;
    bool m_tls = false;
    QString m_error;
    QString m_listeningLine;
    int m_starts = 0;
};

} // namespace natter::test
