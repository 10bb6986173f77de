// What a log record becomes in the systemd journal: PRIORITY from the level, the subsystem
// (the logger's name), MESSAGE, and the ids the text names by the log convention "device U.D",
// "user U", "chat ID" (NATTER_DEVICE, NATTER_USER: the user named, else the device's account,
// NATTER_CHAT) so `journalctl NATTER_USER=42` finds the records about an account. Only ids: log text never holds content, tokens or keys.
// Also the journal's native datagram encoding of such fields.
#pragma once

#include <spdlog/common.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace natter::server::log {

struct JournalRecord {
    spdlog::level::level_enum level = spdlog::level::info;
    std::string_view subsystem; // net, store, auth, delivery, presence, app, push, cluster
    std::string_view text;
};

using JournalFields = std::vector<std::pair<std::string, std::string>>;

// PRIORITY, SYSLOG_IDENTIFIER, NATTER_SUBSYSTEM, MESSAGE, then the ids the text names (each once).
JournalFields journalFields(const JournalRecord& record);

// One datagram of the journal's native protocol: "KEY=value\n" per field, or, for a value that
// holds a newline, "KEY\n", its length as 64-bit little endian, the value and "\n".
std::string encodeJournalDatagram(const JournalFields& fields);

} // namespace natter::server::log
