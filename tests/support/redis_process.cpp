#include "redis_process.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <csignal>
#include <sys/types.h>

namespace natter::test {

namespace {
quint16 freeLoopbackPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
    return probe.serverPort();
}
} // namespace

RedisProcess::~RedisProcess() { kill9(); }

bool RedisProcess::start(int timeoutMs) {
    m_error.clear();
    if (isRunning()) kill9();
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    if (m_port == 0) m_port = freeLoopbackPort();
    if (m_port == 0) {
        m_error = QStringLiteral("no free loopback port");
        return false;
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(QStringLiteral("redis-server"),
                     {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                      QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                      QStringLiteral("no"), QStringLiteral("--dir"), m_dir.path(), QStringLiteral("--protected-mode"),
                      QStringLiteral("no")});
    if (!m_process->waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("redis-server did not start: %1").arg(m_process->errorString());
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    QByteArray seen;
    while (!deadline.hasExpired()) {
        seen += m_process->readAll();
        if (seen.contains("Ready to accept connections")) return true;
        if (m_process->state() == QProcess::NotRunning) break;
        m_process->waitForReadyRead(std::max<qint64>(1, std::min<qint64>(200, deadline.remainingTime())));
    }
    m_error = QStringLiteral("redis-server on port %1 did not become ready: %2").arg(m_port).arg(QString::fromUtf8(seen));
    kill9();
    return false;
}

void RedisProcess::kill9() {
    if (!m_process || m_process->state() == QProcess::NotRunning) return;
    m_process->kill();
    m_process->waitForFinished(10000);
}

void RedisProcess::pause() {
    if (isRunning()) ::kill(static_cast<pid_t>(m_process->processId()), SIGSTOP);
}

void RedisProcess::resume() {
    if (isRunning()) ::kill(static_cast<pid_t>(m_process->processId()), SIGCONT);
}

bool RedisProcess::isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }

} // namespace natter::test
