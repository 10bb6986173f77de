// natter-torture's command line: the natterd to crash, how often, how much load, and the seed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace natter::torture {

struct Options {
    std::string natterd;              // natterd binary (started, killed and restarted)
    std::string data_dir;             // its data directory (emptied first)
    std::uint64_t kills = 20;         // SIGKILLs under load
    std::uint64_t seed = 0;           // kill moments; 0: a random seed (printed)
    std::uint64_t pairs = 8;          // 1:1 chats, both ends sending (2 devices each)
    std::uint64_t groups = 2;         // group chats among those devices
    std::uint64_t group_size = 6;     // members per group, all sending
    std::uint64_t window = 4;         // unacknowledged messages per device
    std::uint64_t min_interval_ms = 20;   // a kill comes this long after the restart at the earliest
    std::uint64_t max_interval_ms = 1500; // and at the latest
    std::uint64_t drop_every = 0;     // control run: each device discards every n-th delivery (0: none)
    bool power_loss = false;          // run natterd under the power-loss layer; each kill is a power cut
    std::string powercut_library;     // the layer (libnatter_powercut.so)
    double timeout_s = 600;           // hard bound for the whole run
    bool json = false;                // one JSON summary on stdout
};

struct ParsedOptions {
    std::optional<Options> options;
    std::string output; // help text or the error
    int exit_code = 0;
};

ParsedOptions parseOptions(int argc, const char* const argv[]);

} // namespace natter::torture
