// fork/exec with pipes for stdout/stderr, poll()-bounded reading and wait4() for the
// child's resource usage; natterd's port comes from its "listening on http://" line.
#include "child_process.h"

#include "measure.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace natter::benchclient {

namespace {

// Forks argv with stdout (and stderr unless errFd < 0) on the given pipe ends.
pid_t spawn(const QStringList& argv, const QStringList& env, int outFd, int errFd) {
    std::vector<QByteArray> args;
    for (const QString& a : argv) args.push_back(a.toLocal8Bit());
    std::vector<QByteArray> vars;
    for (const QString& e : env) vars.push_back(e.toLocal8Bit());
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    const int devNull = ::open("/dev/null", O_RDONLY);
    if (devNull >= 0) ::dup2(devNull, STDIN_FILENO);
    ::dup2(outFd, STDOUT_FILENO);
    if (errFd >= 0) ::dup2(errFd, STDERR_FILENO);
    for (QByteArray& v : vars) ::putenv(v.data());
    std::vector<char*> raw;
    for (QByteArray& a : args) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
}

} // namespace

QString ChildResult::describe() const {
    QString text = timedOut ? QStringLiteral("timed out") : QStringLiteral("exit code %1").arg(exitCode);
    const QByteArray tail = (err.isEmpty() ? out : err).right(400).trimmed();
    if (!tail.isEmpty()) text += QStringLiteral(": ") + QString::fromUtf8(tail);
    return text;
}

ChildResult runChild(const QStringList& argv, const QStringList& env, std::chrono::milliseconds timeout) {
    ChildResult result;
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw RunFailure("pipe failed");
    Stopwatch wall;
    result.started = std::chrono::steady_clock::now();
    const pid_t pid = spawn(argv, env, out[1], err[1]);
    ::close(out[1]);
    ::close(err[1]);
    if (pid < 0) {
        ::close(out[0]);
        ::close(err[0]);
        throw RunFailure("fork failed");
    }
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    QByteArray* sinks[2] = {&result.out, &result.err};
    int open = 2;
    while (open > 0) {
        const double leftMs = double(timeout.count()) - wall.us() / 1000.0;
        if (leftMs <= 0) {
            result.timedOut = true;
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(fds, 2, int(std::min(leftMs, 200.0)) + 1) < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buffer[4096];
            const auto n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) sinks[i]->append(buffer, int(n));
            else {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    result.wallS = wall.seconds();
    result.cpuS = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    result.maxRssKib = usage.ru_maxrss;
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

Natterd::Natterd(QString binary, QString dataDir) : m_binary(std::move(binary)), m_dataDir(std::move(dataDir)) {}

Natterd::~Natterd() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        for (int i = 0; i < 1000 && ::waitpid(m_pid, &status, WNOHANG) == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (::waitpid(m_pid, &status, WNOHANG) == 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, &status, 0);
        }
    }
    if (m_stdout >= 0) ::close(m_stdout);
}

void Natterd::start() {
    if (!QFile::exists(m_binary)) throw RunFailure("natterd not found at " + m_binary.toStdString());
    QDir().mkpath(m_dataDir);
    const QStringList argv{m_binary, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                           QStringLiteral("--data-dir"), m_dataDir,
                           QStringLiteral("--verification"), QStringLiteral("fixed:123456"),
                           QStringLiteral("--push"), QStringLiteral("log"),
                           QStringLiteral("--log-level"), QStringLiteral("warn"),
                           QStringLiteral("--message-rate"), QStringLiteral("10000000"),
                           QStringLiteral("--group-message-rate"), QStringLiteral("10000000"),
                           QStringLiteral("--account-request-rate"), QStringLiteral("10000000"),
                           QStringLiteral("--account-request-burst"), QStringLiteral("10000000"),
                           QStringLiteral("--max-connections-per-address"), QStringLiteral("1000000"),
                           QStringLiteral("--presence-timeout"), QStringLiteral("600")};
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw RunFailure("pipe failed");
    const int log = ::open((m_dataDir + QStringLiteral("/natterd.log")).toLocal8Bit().constData(),
                           O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    m_pid = spawn(argv, {}, out[1], log);
    ::close(out[1]);
    if (log >= 0) ::close(log);
    m_stdout = out[0]; // kept open: natterd must not get SIGPIPE on stdout
    if (m_pid < 0) throw RunFailure("fork failed");
    QByteArray seen;
    const QByteArray marker = "listening on http://";
    Stopwatch wall;
    while (wall.seconds() < 30) {
        pollfd p{m_stdout, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        char buffer[512];
        const auto n = ::read(m_stdout, buffer, sizeof buffer);
        if (n <= 0) throw RunFailure("natterd exited before listening (see its natterd.log)");
        seen.append(buffer, int(n));
        const auto at = seen.indexOf(marker);
        const auto eol = at < 0 ? -1 : seen.indexOf('\n', at);
        if (eol >= 0) {
            const QByteArray hostPort = seen.mid(at + marker.size(), eol - at - marker.size());
            m_port = hostPort.mid(hostPort.lastIndexOf(':') + 1).toInt();
            return;
        }
    }
    throw RunFailure("natterd did not listen within 30 s");
}

double Natterd::cpuSeconds() const {
    QFile f(QStringLiteral("/proc/%1/stat").arg(m_pid));
    if (!f.open(QIODevice::ReadOnly)) return 0;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / double(::sysconf(_SC_CLK_TCK));
}

} // namespace natter::benchclient
