// After the last stop: natterd's SQLite file passes PRAGMA integrity_check, every chat's seq
// runs 1..n without gaps, and every acknowledged message is stored with the seq it was acked with.
#pragma once

#include "record.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace natter::torture {

struct DbCheckResult {
    bool opened = false;
    std::string integrity;            // "ok" or what integrity_check said
    std::uint64_t chats = 0;
    std::uint64_t stored = 0;         // rows in messages (messages and group events)
    std::uint64_t seq_gaps = 0;       // chats whose seq is not exactly 1..count
    std::uint64_t acked_missing = 0;  // acknowledged but not stored (or with another chat/seq)
    std::vector<std::string> examples;

    bool ok() const { return opened && integrity == "ok" && seq_gaps == 0 && acked_missing == 0; }
};

DbCheckResult checkDatabase(const std::filesystem::path& sqliteFile, const std::vector<AckedMessage>& acked);

} // namespace natter::torture
