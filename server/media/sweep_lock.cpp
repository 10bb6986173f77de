#include "media/sweep_lock.h"

#include "logging/loggers.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace natter::server {

SweepLock::Held::~Held() {
    if (fd_ >= 0) ::close(fd_); // closing the only descriptor releases the flock
}

std::optional<SweepLock::Held> SweepLock::tryAcquire() const {
    const int fd = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        log::store()->warn("cannot open the sweep lock {}: {}", file_.string(), std::strerror(errno));
        return std::nullopt;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            log::store()->warn("cannot lock {}: {}", file_.string(), std::strerror(errno));
        ::close(fd);
        return std::nullopt;
    }
    return Held(fd);
}

} // namespace natter::server
