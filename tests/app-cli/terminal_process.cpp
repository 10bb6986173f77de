#include "terminal_process.h"

#include <QDeadlineTimer>
#include <QTest>

#include <vector>

#include <csignal>
#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace natter::test {

TerminalProcess::TerminalProcess(const NatterCli& cli, const QString& profile, const QStringList& args)
    : m_cli(cli), m_args(QStringList{"--profile", profile} + args) {}

TerminalProcess::~TerminalProcess() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    if (m_master >= 0) ::close(m_master);
    if (QTest::currentTestFailed()) qWarning().noquote() << describe();
}

bool TerminalProcess::start() {
    // Everything the child needs is prepared before fork: it only calls exec.
    QProcessEnvironment env = m_cli.environment();
    env.insert("TERM", "xterm");
    env.insert("INPUTRC", "/dev/null");
    env.insert("LANG", "C.UTF-8");
    std::vector<QByteArray> storage;
    for (const QString& pair : env.toStringList()) storage.push_back(pair.toLocal8Bit());
    std::vector<char*> envp;
    for (auto& s : storage) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<QByteArray> argStorage{NatterCli::binaryPath().toLocal8Bit()};
    for (const QString& a : m_args) argStorage.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    for (auto& a : argStorage) argv.push_back(a.data());
    argv.push_back(nullptr);

    winsize size{};
    size.ws_row = 24;
    size.ws_col = 80;
    m_pid = ::forkpty(&m_master, nullptr, nullptr, &size);
    if (m_pid < 0) return false;
    if (m_pid == 0) {
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::fcntl(m_master, F_SETFL, ::fcntl(m_master, F_GETFL) | O_NONBLOCK);
    return true;
}

void TerminalProcess::type(const QByteArray& keys) {
    qsizetype done = 0;
    QDeadlineTimer deadline(5000);
    while (done < keys.size() && !deadline.hasExpired()) {
        const auto n = ::write(m_master, keys.constData() + done, size_t(keys.size() - done));
        if (n > 0) done += n;
        else poll(); // the terminal's buffer is full until the program reads
    }
}

void TerminalProcess::resize(int rows, int columns) {
    winsize size{};
    size.ws_row = static_cast<unsigned short>(rows);
    size.ws_col = static_cast<unsigned short>(columns);
    ::ioctl(m_master, TIOCSWINSZ, &size);
}

void TerminalProcess::poll() {
    char buffer[4096];
    for (;;) {
        const auto n = ::read(m_master, buffer, sizeof buffer);
        if (n <= 0) return;
        m_out.append(buffer, n);
    }
}

bool TerminalProcess::waitForOutput(const QString& text, int timeoutMs) {
    const QByteArray wanted = text.toUtf8();
    return QTest::qWaitFor([&] {
        poll();
        return m_out.contains(wanted);
    }, timeoutMs);
}

int TerminalProcess::waitForExit(int timeoutMs) {
    int status = 0;
    const bool exited = QTest::qWaitFor([&] {
        poll();
        return ::waitpid(m_pid, &status, WNOHANG) == m_pid;
    }, timeoutMs);
    if (!exited) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    m_pid = -1;
    poll();
    return exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

QString TerminalProcess::describe() const {
    return QStringLiteral("natter %1 on a terminal drew:\n%2").arg(m_args.join(' '), QString::fromUtf8(m_out));
}

} // namespace natter::test
