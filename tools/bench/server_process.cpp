// fork/exec of natterd with its stdout on a pipe (for the port) and stderr in <data-dir>/natterd.log.
#include "server_process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace natter::bench {

ServerProcess::ServerProcess(std::string binary, std::filesystem::path dataDir)
    : binary_(std::move(binary)), dataDir_(std::move(dataDir)) {}

ServerProcess::~ServerProcess() { stop(); }

std::vector<std::string> ServerProcess::arguments() const {
    // Rate limits are raised so the load generator measures capacity, not the limiter;
    // durability (store before ack) is natterd's default and unchanged.
    return {binary_,
            "--listen", "127.0.0.1:0",
            "--data-dir", dataDir_.string(),
            "--verification", std::string("fixed:") + kVerificationCode,
            "--push", "log",
            "--log-level", "warn",
            "--message-rate", "10000000",
            "--group-message-rate", "10000000",
            "--codes-per-address", "100000000",
            "--codes-global", "100000000",
            "--account-request-rate", "10000000",
            "--account-request-burst", "10000000",
            // The idle scenario holds 10,000 WebSockets from --sources (4) loopback addresses.
            "--max-connections-per-address", "1000000",
            "--presence-timeout", "600"};
}

bool ServerProcess::start(std::string& error, std::chrono::seconds timeout) {
    std::filesystem::create_directories(dataDir_);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    const auto args = arguments();
    // Built before fork: the child only calls async-signal-safe functions.
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        bool replaced = false;
        for (const auto& v : environment_) replaced = replaced || entry.starts_with(v.first + "=");
        if (!replaced) env.push_back(entry);
    }
    for (const auto& [name, value] : environment_) env.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const std::string logPath = (dataDir_ / "natterd.log").string();
    const pid_t child = ::fork();
    if (child < 0) {
        error = std::string("fork: ") + std::strerror(errno);
        return false;
    }
    if (child == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (log >= 0) ::dup2(log, STDERR_FILENO);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(out[1]);
    pid_ = child;
    stdoutFd_ = out[0];
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string marker = "listening on http://";
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{stdoutFd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        char buffer[512];
        const auto n = ::read(stdoutFd_, buffer, sizeof buffer);
        if (n <= 0) {
            error = "natterd exited before listening (see " + logPath + ")";
            reap(std::chrono::milliseconds(1000));
            return false;
        }
        seen.append(buffer, static_cast<std::size_t>(n));
        const auto at = seen.find(marker);
        const auto eol = at == std::string::npos ? std::string::npos : seen.find('\n', at);
        if (eol != std::string::npos) {
            const std::string hostPort = seen.substr(at + marker.size(), eol - at - marker.size());
            port_ = static_cast<unsigned short>(std::stoul(hostPort.substr(hostPort.rfind(':') + 1)));
            return true;
        }
    }
    error = "natterd did not listen within the timeout";
    kill9();
    return false;
}

void ServerProcess::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    reap(std::chrono::seconds(10));
}

void ServerProcess::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    reap(std::chrono::seconds(10));
}

void ServerProcess::reap(std::chrono::milliseconds grace) {
    const auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    if (stdoutFd_ >= 0) ::close(stdoutFd_);
    stdoutFd_ = -1;
}

} // namespace natter::bench
