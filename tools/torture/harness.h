// The torture run: devices send in 1:1 and group chats against a real natterd while it is
// killed with SIGKILL at seeded random moments and restarted on the same data directory;
// devices reconnect, resend what was not acknowledged (same client_msg_id) and go on.
#pragma once

#include "checker.h"
#include "db_check.h"
#include "options.h"
#include "record.h"

#include <cstdint>
#include <string>

namespace natter::torture {

struct Summary {
    std::uint64_t seed = 0;
    std::uint64_t kills = 0;        // SIGKILLs done
    std::uint64_t acked = 0;        // messages acknowledged `sent`
    std::uint64_t deliveries = 0;   // entries received by devices (all connections)
    std::uint64_t dropped = 0;      // deliveries discarded on purpose (control run)
    std::uint64_t receipts = 0;     // `delivered` receipts the senders got
    std::uint64_t resent = 0;       // sends repeated after a reconnect
    std::uint64_t connections = 0;  // WebSocket sessions over the run
    double max_restart_ms = 0;      // SIGKILL to listening again, worst
    std::uint64_t power_cuts = 0;   // --power-loss: data directory rebuilt from the durable images
    std::uint64_t files_removed = 0;   // by those power cuts: files whose name was never fsynced
    std::uint64_t bytes_discarded = 0; // and bytes never fsynced
    double duration_s = 0;
    std::string error;              // the run itself failed (set-up, a timeout, an error frame)
    CheckResult check;
    DbCheckResult db;

    bool ok() const { return error.empty() && check.ok() && db.ok(); }
};

// Progress lines for humans go to stderr as the run goes.
Summary runTorture(const Options& options);

} // namespace natter::torture
