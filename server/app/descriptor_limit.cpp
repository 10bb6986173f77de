#include "app/descriptor_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace natter::server {
namespace {

// The kernel's ceiling for RLIMIT_NOFILE (fs.nr_open), for a hard limit of "unlimited".
rlim_t kernelMaximum() {
    std::ifstream in("/proc/sys/fs/nr_open");
    unsigned long long value = 0;
    return in >> value && value > 0 ? static_cast<rlim_t>(value) : static_cast<rlim_t>(1) << 20;
}

} // namespace

DescriptorLimit raiseDescriptorLimit() {
    DescriptorLimit out;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        out.error = std::strerror(errno);
        return out;
    }
    const rlim_t target = limit.rlim_max == RLIM_INFINITY ? kernelMaximum() : limit.rlim_max;
    out.before = static_cast<std::size_t>(limit.rlim_cur);
    out.hard = static_cast<std::size_t>(target);
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < target) {
        rlimit raised{target, limit.rlim_max};
        if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) out.error = std::strerror(errno);
        else limit.rlim_cur = target;
    }
    out.soft = limit.rlim_cur == RLIM_INFINITY ? out.hard : static_cast<std::size_t>(limit.rlim_cur);
    return out;
}

std::size_t connectionCap(std::size_t configured, std::size_t softLimit) {
    const std::size_t reserve = std::max<std::size_t>(64, softLimit / 4);
    const std::size_t available = softLimit > reserve ? softLimit - reserve : 1;
    return configured == 0 ? available : std::min(configured, available);
}

} // namespace natter::server
