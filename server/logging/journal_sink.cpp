#include "logging/journal_sink.h"

#include "logging/journal_fields.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace natter::server::log {

JournalSink::JournalSink(std::filesystem::path socket)
    : socket_(socket.string()), fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {}

JournalSink::~JournalSink() {
    if (fd_ >= 0) ::close(fd_);
}

void JournalSink::sink_it_(const spdlog::details::log_msg& msg) {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const std::string_view subsystem(msg.logger_name.data(), msg.logger_name.size());
    const std::string datagram = encodeJournalDatagram(journalFields({msg.level, subsystem, text}));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (fd_ >= 0 && socket_.size() < sizeof address.sun_path) {
        std::memcpy(address.sun_path, socket_.c_str(), socket_.size() + 1);
        const auto sent = ::sendto(fd_, datagram.data(), datagram.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                                   reinterpret_cast<const sockaddr*>(&address), sizeof address);
        if (sent == static_cast<ssize_t>(datagram.size())) return;
    }
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

bool stderrIsJournal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    struct stat st {};
    if (!stream || ::fstat(STDERR_FILENO, &st) != 0) return false;
    unsigned long long device = 0, inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
    return device == static_cast<unsigned long long>(st.st_dev) && inode == static_cast<unsigned long long>(st.st_ino);
}

} // namespace natter::server::log
