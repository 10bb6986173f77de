// Runs a real redis-server (Debian's) for a test: loopback only, a port picked free at the
// first start and kept across restarts (so natterd nodes reconnect to the same address), no
// persistence (--save '' --appendonly no), a private working directory. Every wait is bounded.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace natter::test {

class RedisProcess {
public:
    RedisProcess() = default;
    ~RedisProcess(); // kills a still-running redis-server
    RedisProcess(const RedisProcess&) = delete;
    RedisProcess& operator=(const RedisProcess&) = delete;

    // Starts redis-server and waits (bounded) until it accepts connections.
    bool start(int timeoutMs = 10000);
    // SIGKILL and reap: everything in it is gone (no persistence).
    void kill9();
    // SIGSTOP / SIGCONT: a hung Redis that keeps its connections open (and its data).
    void pause();
    void resume();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_port); }
    QString errorString() const { return m_error; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace natter::test
