// The process's open-file limit: raised from the soft to the hard limit at start, so that
// connections, not the usual default of 1,024 descriptors, are what runs out first; and the
// connection cap derived from it (descriptors are also needed for the database, media files
// and push requests).
#pragma once

#include <cstddef>
#include <string>

namespace natter::server {

struct DescriptorLimit {
    std::size_t before = 0; // soft limit at start
    std::size_t soft = 0;   // soft limit now
    std::size_t hard = 0;
    std::string error;      // why raising failed, if it did
};

// Sets the soft RLIMIT_NOFILE to the hard limit (bounded by the kernel's nr_open).
DescriptorLimit raiseDescriptorLimit();

// The global connection cap: `configured` if not 0, else three quarters of `softLimit`; in
// either case leaving at least a quarter (and at least 64) of the descriptors for the rest.
std::size_t connectionCap(std::size_t configured, std::size_t softLimit);

} // namespace natter::server
