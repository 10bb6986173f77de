// Resource figures from /proc and getrusage: a process's RSS and CPU time, and our own.
#pragma once

#include <cstdint>
#include <sys/types.h>

namespace natter::bench {

// Resident set size of `pid` in KiB (0 if unknown).
std::uint64_t rssKib(pid_t pid);
// User + system CPU seconds `pid` has used (0 if unknown).
double cpuSeconds(pid_t pid);
// User + system CPU seconds this process has used.
double selfCpuSeconds();
// Raises this process's open-file limit to the hard limit; returns the new soft limit.
std::uint64_t raiseFdLimit();

} // namespace natter::bench
