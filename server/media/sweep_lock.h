// Lets one node at a time sweep a media directory that several nodes share: an exclusive
// flock(2) on a file in that directory, tried without waiting and held for one sweep.
// (flock rather than Boost.Interprocess' file_lock: fcntl locks belong to the process, so two
// holders in one process would not exclude each other, and closing any descriptor drops them.)
#pragma once

#include <filesystem>
#include <optional>

namespace natter::server {

class SweepLock {
public:
    // Held until destroyed; the lock file itself stays.
    class Held {
    public:
        explicit Held(int fd) : fd_(fd) {}
        Held(Held&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
        Held& operator=(Held&&) = delete;
        ~Held();

    private:
        int fd_;
    };

    explicit SweepLock(std::filesystem::path file) : file_(std::move(file)) {}
    // The lock if no other holder (in any process) has it; nullopt otherwise or on error.
    std::optional<Held> tryAcquire() const;

private:
    std::filesystem::path file_;
};

} // namespace natter::server
