// The power cut itself: after the process running under libnatter_powercut.so was killed, its
// directory is rewritten as a disk would show it after losing power: each file as of its last
// fsync, and only the names its directory's last fsync recorded (tools/powercut/README.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace natter::powercut {

struct PowerCut {
    std::string error;                  // empty: the directory now holds only durable state
    std::uint64_t files_restored = 0;   // files written back from their durable image
    std::uint64_t files_removed = 0;    // files whose name was never made durable
    std::uint64_t bytes_discarded = 0;  // bytes that differed from (or were beyond) the durable image
    std::vector<std::string> removed;   // those files, relative to the directory
};

// Rewrites `dir` from `images` (the layer's NATTER_POWERCUT_IMAGES). Files the layer never saw
// opened (e.g. a log the parent opened for the child) are left as they are. Call it only while no
// process runs under the layer on `dir`; `images` is updated to match the rewritten files.
PowerCut powerCut(const std::filesystem::path& dir, const std::filesystem::path& images);

// The environment a child needs to run under the layer: LD_PRELOAD, NATTER_POWERCUT_DIR and
// NATTER_POWERCUT_IMAGES. `images` must be outside `dir`.
std::vector<std::pair<std::string, std::string>> layerEnvironment(const std::filesystem::path& library,
                                                                  const std::filesystem::path& dir,
                                                                  const std::filesystem::path& images);

} // namespace natter::powercut
