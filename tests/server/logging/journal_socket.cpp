#include "journal_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace natter::test {

JournalSocket::JournalSocket(const QString& path) : fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray bytes = path.toLocal8Bit();
    if (fd_ < 0 || bytes.size() >= int(sizeof address.sun_path)) return;
    std::memcpy(address.sun_path, bytes.constData(), bytes.size() + 1);
    bound_ = ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

JournalSocket::~JournalSocket() {
    if (fd_ >= 0) ::close(fd_);
}

QByteArray JournalSocket::receive(int timeoutMs) {
    pollfd p{fd_, POLLIN, 0};
    if (timeoutMs <= 0 || ::poll(&p, 1, timeoutMs) != 1) return {};
    QByteArray datagram(65536, '\0');
    const auto n = ::recv(fd_, datagram.data(), datagram.size(), 0);
    if (n <= 0) return {};
    datagram.truncate(int(n));
    received_ += datagram + "\n--\n";
    return datagram;
}

QByteArray JournalSocket::waitFor(const QList<QByteArray>& fields, int timeoutMs) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const QByteArray datagram = receive(int(left.count()));
        if (datagram.isEmpty()) return {};
        bool all = true;
        for (const auto& field : fields) all = all && (datagram.startsWith(field) || datagram.contains("\n" + field));
        if (all) return datagram;
    }
}

} // namespace natter::test
