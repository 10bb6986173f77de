#include "natter_cli.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTest>
#include <QtDebug>

#include <csignal>
#include <sys/types.h>

#ifndef NATTER_BINARY
#define NATTER_BINARY ""
#endif

namespace natter::test {

namespace {

QJsonDocument parse(const QByteArray& bytes) { return QJsonDocument::fromJson(bytes.trimmed()); }

QString clip(const QByteArray& bytes) {
    constexpr qsizetype kMax = 6000;
    const QString s = QString::fromUtf8(bytes);
    return s.size() > kMax ? "...(truncated)..." + s.right(kMax) : s;
}

} // namespace

QJsonObject CliResult::json() const { return parse(out).object(); }

QJsonArray CliResult::list(const QString& key) const { return json().value(key).toArray(); }

QString CliResult::describe() const {
    return QStringLiteral("natter %1\n  finished: %2, exit code: %3\n  stdout: %4\n  stderr: %5")
        .arg(args.join(' '))
        .arg(finished ? "yes" : "no (killed after the timeout)")
        .arg(exitCode)
        .arg(clip(out), clip(err));
}

NatterCli::NatterCli(QUrl server) : m_server(std::move(server)), m_home(QDir::tempPath() + "/natcli-XXXXXX") {}

QString NatterCli::binaryPath() { return QStringLiteral(NATTER_BINARY); }

QString NatterCli::profileDir(const QString& profile) const { return m_home.path() + "/natter/profiles/" + profile; }

QProcessEnvironment NatterCli::environment(const QByteArray& passphrase) const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_HOME", m_home.path());
    env.insert("NATTER_NO_KEYCHAIN", "1");
    env.remove("NATTER_PASSPHRASE");
    if (!passphrase.isNull()) env.insert("NATTER_PASSPHRASE", QString::fromUtf8(passphrase));
    env.remove("QT_LOGGING_RULES");
    env.insert(m_variables);
    return env;
}

CliResult NatterCli::run(const QString& profile, const QStringList& args, const QByteArray& input, int timeoutMs) const {
    return runRaw(QStringList{"--profile", profile} + args, kPassphrase, input, timeoutMs);
}

CliResult NatterCli::runRaw(const QStringList& args, const QByteArray& passphrase, const QByteArray& input,
                            int timeoutMs) const {
    CliResult result;
    result.args = args;
    QProcess p;
    p.setProgram(binaryPath());
    p.setArguments(args);
    p.setProcessEnvironment(environment(passphrase));
    p.start();
    if (!p.waitForStarted(10000)) {
        result.err = "could not start " + binaryPath().toUtf8() + ": " + p.errorString().toUtf8();
        return result;
    }
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel(); // a prompt reading stdin sees EOF instead of waiting forever
    result.finished = p.waitForFinished(timeoutMs);
    if (!result.finished) {
        p.kill();
        p.waitForFinished(5000);
    } else if (p.exitStatus() == QProcess::NormalExit) {
        result.exitCode = p.exitCode();
    }
    result.out = p.readAllStandardOutput();
    result.err = p.readAllStandardError();
    return result;
}

CliProcess::CliProcess(const NatterCli& cli, const QString& profile, const QStringList& args)
    : m_cli(cli), m_args(QStringList{"--profile", profile} + args) {}

CliProcess::~CliProcess() {
    if (isRunning()) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    if (QTest::currentTestFailed()) qWarning().noquote() << describe();
}

bool CliProcess::start(int timeoutMs, Input input) {
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(NatterCli::binaryPath());
    m_process->setArguments(m_args);
    m_process->setProcessEnvironment(m_cli.environment());
    m_process->start();
    if (!m_process->waitForStarted(timeoutMs)) return false;
    if (input == Input::Closed) m_process->closeWriteChannel();
    return true;
}

void CliProcess::write(const QByteArray& bytes) {
    if (!isRunning()) return;
    m_process->write(bytes);
    m_process->waitForBytesWritten(5000);
}

bool CliProcess::isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }

void CliProcess::readLines() {
    if (!m_process) return;
    m_err += m_process->readAllStandardError();
    m_process->setReadChannel(QProcess::StandardOutput);
    while (m_process->canReadLine()) {
        const QByteArray line = m_process->readLine();
        m_out += line;
        const QJsonDocument doc = parse(line);
        if (doc.isObject()) m_pending.append(doc.object());
    }
}

void CliProcess::poll() {
    if (isRunning()) m_process->waitForReadyRead(0);
    readLines();
}

std::optional<QJsonObject> CliProcess::waitForJson(const std::function<bool(const QJsonObject&)>& match, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        readLines();
        for (qsizetype i = 0; i < m_pending.size(); ++i) {
            if (match(m_pending[i])) return m_pending.takeAt(i);
        }
        if (deadline.hasExpired() || !isRunning()) break;
        m_process->waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 200)));
    }
    readLines();
    for (qsizetype i = 0; i < m_pending.size(); ++i)
        if (match(m_pending[i])) return m_pending.takeAt(i);
    return std::nullopt;
}

bool CliProcess::waitForOutput(const QString& text, int timeoutMs) {
    const QByteArray wanted = text.toUtf8();
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        readLines();
        if (m_out.contains(wanted)) return true;
        if (deadline.hasExpired() || !isRunning()) break;
        m_process->waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 200)));
    }
    readLines();
    return m_out.contains(wanted);
}

QList<QJsonObject> CliProcess::pendingJson() {
    readLines();
    return m_pending;
}

int CliProcess::interrupt(int timeoutMs) {
    if (!isRunning()) return m_process && m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
    ::kill(pid_t(m_process->processId()), SIGINT);
    if (!m_process->waitForFinished(timeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(5000);
        readLines();
        return -1;
    }
    readLines();
    m_err += m_process->readAllStandardError();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

int CliProcess::waitForExit(int timeoutMs) {
    if (!m_process) return -1;
    // Keeps this process's event loop running meanwhile (a TcpProxy of the test keeps serving).
    if (!QTest::qWaitFor([this] { return !isRunning(); }, timeoutMs)) return -1;
    readLines();
    m_err += m_process->readAllStandardError();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

QByteArray CliProcess::standardError() const { return m_err; }

QString CliProcess::describe() const {
    return QStringLiteral("natter %1 (%2)\n  stdout: %3\n  stderr: %4")
        .arg(m_args.join(' '), isRunning() ? "running" : "exited", clip(m_out), clip(m_err));
}

std::function<bool(const QJsonObject&)> isMessageEvent(const QString& text) {
    return [text](const QJsonObject& e) {
        return e.value("type").toString() == "message" && e.value("message").toObject().value("text").toString() == text;
    };
}

} // namespace natter::test
