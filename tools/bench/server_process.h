// A natterd child process for one benchmark run: started on a free port with benchmark
// flags, stopped with SIGTERM (or killed with SIGKILL by the recovery scenario).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace natter::bench {

// The verification code every started natterd uses (--verification fixed:<code>).
inline constexpr const char* kVerificationCode = "123456";

class ServerProcess {
public:
    ServerProcess(std::string binary, std::filesystem::path dataDir);
    ~ServerProcess(); // stops the process if it still runs
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Starts natterd and waits (up to `timeout`) for its "listening on" line. False with
    // `error` set if it did not come up.
    bool start(std::string& error, std::chrono::seconds timeout = std::chrono::seconds(60));
    void stop();  // SIGTERM, then SIGKILL after 10 s
    void kill9(); // SIGKILL, as a crash would
    pid_t pid() const { return pid_; }
    unsigned short port() const { return port_; }
    // The natterd command line used (for the report and BENCHMARKS.md).
    std::vector<std::string> arguments() const;
    // Variables set for natterd on top of this process's environment (e.g. an LD_PRELOAD layer).
    void setEnvironment(std::vector<std::pair<std::string, std::string>> variables) { environment_ = std::move(variables); }

private:
    void reap(std::chrono::milliseconds grace);

    std::string binary_;
    std::filesystem::path dataDir_;
    std::vector<std::pair<std::string, std::string>> environment_;
    pid_t pid_ = -1;
    int stdoutFd_ = -1; // kept open: natterd must not get SIGPIPE on stdout
    unsigned short port_ = 0;
};

} // namespace natter::bench
