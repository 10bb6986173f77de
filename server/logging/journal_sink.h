// An spdlog sink that sends each record to the systemd journal as one datagram of its native
// protocol (journal_fields.h), so records carry PRIORITY, the subsystem and ids as fields.
// Without a journal to take a record (no socket, or it is full) the record goes to stderr
// instead, formatted as usual: nothing is lost, nothing blocks natterd.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <filesystem>
#include <mutex>
#include <string>

namespace natter::server::log {

inline constexpr const char* kJournalSocket = "/run/systemd/journal/socket";

class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit JournalSink(std::filesystem::path socket = kJournalSocket);
    ~JournalSink() override;
    JournalSink(const JournalSink&) = delete;
    JournalSink& operator=(const JournalSink&) = delete;

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}

private:
    std::string socket_;
    int fd_ = -1; // AF_UNIX datagram socket, unconnected; -1 if it could not be made
};

// From now on natterd's subsystem loggers (loggers.h) send to the journal at `socket`: call it
// before log::configure (loggers made earlier keep writing to stderr). Defined in loggers.cpp.
void useJournal(const std::filesystem::path& socket);

// True when natterd's stderr is the journal stream systemd connected it to (JOURNAL_STREAM
// names stderr's device and inode), i.e. natterd runs as a systemd service logging to the journal.
bool stderrIsJournal();

} // namespace natter::server::log
