#include "natterd_process.h"

#include "postgres_process.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTest>
#include <QtDebug>

#include <csignal>
#include <sys/resource.h>
#include <sys/types.h>

#ifndef NATTERD_BINARY
#define NATTERD_BINARY ""
#endif

namespace natter::test {

namespace {
const QRegularExpression kListening(QStringLiteral(R"(^natterd: listening on (https?)://127\.0\.0\.1:(\d+)\s*$)"));
}

NatterdProcess::NatterdProcess(QStringList extraArgs) : m_extraArgs(std::move(extraArgs)) {}

NatterdProcess::~NatterdProcess() {
    if (isRunning()) kill9();
    printStderrIfTestFailed();
}

QString NatterdProcess::binaryPath() { return QStringLiteral(NATTERD_BINARY); }

bool NatterdProcess::start(int timeoutMs) {
    m_error.clear();
    m_port = 0;
    if (binaryPath().isEmpty() || !QFileInfo(binaryPath()).isExecutable()) {
        m_error = QStringLiteral("natterd binary not available (NATTERD_BINARY='%1')").arg(binaryPath());
        return false;
    }
    if (!m_dataDir.isValid() || !m_logDir.isValid()) {
        m_error = QStringLiteral("cannot create temporary directories");
        return false;
    }
    if (isRunning()) kill9();
    if (m_store.isEmpty() && PostgresProcess::requestedForNatterd()) {
        auto& postgres = PostgresProcess::shared();
        m_store = QString::fromStdString(postgres.createDatabase());
        if (m_store.isEmpty()) {
            m_error = QStringLiteral("no PostgreSQL database for natterd: %1")
                          .arg(QString::fromStdString(postgres.errorString()));
            return false;
        }
    }

    if (m_clock && !m_clock->isReady()) {
        m_error = m_clock->errorString();
        return false;
    }

    m_process = std::make_unique<QProcess>();
    m_process->setProgram(binaryPath());
    if (m_clock) m_process->setProcessEnvironment(m_clock->environmentFor(QProcessEnvironment::systemEnvironment()));
    if (m_fileLimit) {
        const rlimit limit{rlim_t(m_fileLimit->first), rlim_t(m_fileLimit->second)};
        m_process->setChildProcessModifier([limit] { ::setrlimit(RLIMIT_NOFILE, &limit); });
    }
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_listenPort),
                     QStringLiteral("--data-dir"), dataDir()};
    if (!m_extraArgs.contains(QStringLiteral("--verification")))
        args += {QStringLiteral("--verification"), QStringLiteral("fixed:123456")};
    if (!m_store.isEmpty() && !m_extraArgs.contains(QStringLiteral("--store"))) args += {QStringLiteral("--store"), m_store};
    args += m_extraArgs;
    m_process->setArguments(args);
    m_process->setStandardErrorFile(m_logDir.filePath(QStringLiteral("stderr.log")), QIODevice::Append);
    m_process->setReadChannel(QProcess::StandardOutput);
    ++m_starts;
    {
        QFile marker(m_logDir.filePath(QStringLiteral("stderr.log")));
        if (marker.open(QIODevice::Append))
            marker.write(QStringLiteral("---- natterd start #%1: %2\n").arg(m_starts).arg(args.join(' ')).toUtf8());
    }
    m_process->start();
    if (!m_process->waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("natterd did not start: %1").arg(m_process->errorString());
        return false;
    }

    QDeadlineTimer deadline(timeoutMs);
    QByteArray seen;
    while (!deadline.hasExpired()) {
        while (m_process->canReadLine()) {
            const QByteArray line = m_process->readLine();
            seen += line;
            const auto match = kListening.match(QString::fromUtf8(line));
            if (match.hasMatch()) {
                m_listeningLine = QString::fromUtf8(line).trimmed();
                m_tls = match.captured(1) == QLatin1String("https");
                m_port = match.captured(2).toUShort();
                if (m_port == 0) {
                    m_error = QStringLiteral("natterd reported port 0: %1").arg(m_listeningLine);
                    return false;
                }
                return true;
            }
        }
        if (m_process->state() == QProcess::NotRunning) break;
        m_process->waitForReadyRead(std::max<qint64>(1, std::min<qint64>(200, deadline.remainingTime())));
    }
    m_error = QStringLiteral("natterd did not print its listening line (state %1, stdout so far: '%2'); stderr:\n%3")
                  .arg(int(m_process->state()))
                  .arg(QString::fromUtf8(seen + m_process->readAll()))
                  .arg(QString::fromUtf8(standardError()));
    if (isRunning()) kill9();
    return false;
}

void NatterdProcess::useAdjustableClock() {
    if (!m_clock) m_clock = std::make_unique<AdjustableClock>();
}

bool NatterdProcess::advanceClock(std::chrono::milliseconds by) { return m_clock && m_clock->advance(by); }

int NatterdProcess::terminate(int timeoutMs) {
    if (!m_process || m_process->state() == QProcess::NotRunning) return -1;
    m_process->terminate(); // SIGTERM
    if (!m_process->waitForFinished(timeoutMs)) {
        kill9();
        return -1;
    }
    if (m_process->exitStatus() != QProcess::NormalExit) return -1;
    return m_process->exitCode();
}

int NatterdProcess::interrupt(int timeoutMs) {
    if (!m_process || m_process->state() == QProcess::NotRunning) return -1;
    ::kill(pid_t(m_process->processId()), SIGINT);
    if (!m_process->waitForFinished(timeoutMs)) {
        kill9();
        return -1;
    }
    if (m_process->exitStatus() != QProcess::NormalExit) return -1;
    return m_process->exitCode();
}

void NatterdProcess::kill9() {
    if (!m_process || m_process->state() == QProcess::NotRunning) return;
    m_process->kill(); // SIGKILL
    m_process->waitForFinished(10000);
}

bool NatterdProcess::restart(int timeoutMs) {
    if (isRunning()) kill9();
    return start(timeoutMs);
}

bool NatterdProcess::isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }

qint64 NatterdProcess::pid() const { return m_process ? m_process->processId() : 0; }

QUrl NatterdProcess::baseUrl() const {
    return QUrl(QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? "https" : "http").arg(m_port));
}

QUrl NatterdProcess::wsUrl() const {
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/ws").arg(m_tls ? "wss" : "ws").arg(m_port));
}

QByteArray NatterdProcess::standardError() const {
    QFile f(m_logDir.filePath(QStringLiteral("stderr.log")));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

void NatterdProcess::printStderrIfTestFailed() const {
    if (!QTest::currentTestFailed()) return;
    QByteArray err = standardError();
    constexpr qsizetype kMax = 20000;
    if (err.size() > kMax) err = "...(truncated)...\n" + err.right(kMax);
    qWarning().noquote() << "natterd stderr (" << dataDir() << "):\n" << QString::fromUtf8(err);
}

ProcessOutcome NatterdProcess::runOnce(const QStringList& args, int timeoutMs) {
    ProcessOutcome out;
    if (binaryPath().isEmpty()) return out;
    QProcess p;
    p.start(binaryPath(), args);
    if (!p.waitForStarted(timeoutMs)) return out;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        out.standardOutput = p.readAllStandardOutput();
        out.standardError = p.readAllStandardError();
        return out;
    }
    out.finished = true;
    out.exitStatus = p.exitStatus();
    out.exitCode = p.exitCode();
    out.standardOutput = p.readAllStandardOutput();
    out.standardError = p.readAllStandardError();
    return out;
}

} // namespace natter::test
