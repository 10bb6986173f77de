#include "logging/journal_fields.h"

#include <cstdint>
#include <regex>

namespace natter::server::log {
namespace {

// syslog(3) priorities, as journald reads PRIORITY.
const char* priority(spdlog::level::level_enum level) {
    switch (level) {
    case spdlog::level::critical: return "2";
    case spdlog::level::err: return "3";
    case spdlog::level::warn: return "4";
    case spdlog::level::info: return "6";
    default: return "7";
    }
}

// The first capture of `pattern` in `text`, or "".
std::string first(std::string_view text, const std::regex& pattern) {
    std::match_results<std::string_view::const_iterator> m;
    return std::regex_search(text.begin(), text.end(), m, pattern) ? m[1].str() : std::string();
}

} // namespace

JournalFields journalFields(const JournalRecord& record) {
    static const std::regex device(R"(\bdevice (\d+\.\d+)\b)");
    static const std::regex user(R"(\buser (\d+)\b)");
    static const std::regex chat(R"(\bchat ((?:dm|g):[A-Za-z0-9_:-]+))");
    JournalFields fields{{"PRIORITY", priority(record.level)},
                         {"SYSLOG_IDENTIFIER", "natterd"},
                         {"NATTER_SUBSYSTEM", std::string(record.subsystem)},
                         {"MESSAGE", std::string(record.text)}};
    const std::string deviceId = first(record.text, device);
    std::string userId = first(record.text, user);
    if (!deviceId.empty()) {
        fields.emplace_back("NATTER_DEVICE", deviceId);
        if (userId.empty()) userId = deviceId.substr(0, deviceId.find('.')); // the device's account
    }
    if (!userId.empty()) fields.emplace_back("NATTER_USER", userId);
    if (const std::string chatId = first(record.text, chat); !chatId.empty()) fields.emplace_back("NATTER_CHAT", chatId);
    return fields;
}

std::string encodeJournalDatagram(const JournalFields& fields) {
    std::string out;
    for (const auto& [key, value] : fields) {
        out += key;
        if (value.find('\n') == std::string::npos) {
            out += '=';
        } else {
            out += '\n';
            std::uint64_t size = value.size();
            for (int i = 0; i < 8; ++i, size >>= 8) out += static_cast<char>(size & 0xff);
        }
        out += value;
        out += '\n';
    }
    return out;
}

} // namespace natter::server::log
