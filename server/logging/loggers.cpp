#include "logging/loggers.h"

#include "logging/journal_sink.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace natter::server::log {
namespace {

// The journal, when useJournal() chose it; else every logger writes to stderr.
std::shared_ptr<spdlog::sinks::sink>& journal() {
    static std::shared_ptr<spdlog::sinks::sink> sink;
    return sink;
}

std::shared_ptr<spdlog::logger> get(const char* name) {
    if (auto existing = spdlog::get(name)) return existing;
    std::shared_ptr<spdlog::logger> logger;
    if (journal()) {
        logger = std::make_shared<spdlog::logger>(name, journal());
        spdlog::register_logger(logger);
    } else {
        logger = spdlog::stderr_color_mt(name);
    }
    logger->set_level(spdlog::get_level());
    return logger;
}

} // namespace

void useJournal(const std::filesystem::path& socket) {
    journal() = std::make_shared<JournalSink>(socket);
}

bool configure(std::string_view level) {
    const auto parsed = spdlog::level::from_str(std::string(level));
    if (parsed == spdlog::level::off && level != "off") return false;
    spdlog::set_level(parsed);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
    for (const char* name : {"net", "store", "auth", "delivery", "presence", "app", "push", "cluster"})
        get(name)->set_level(parsed);
    return true;
}

std::shared_ptr<spdlog::logger> net() { return get("net"); }
std::shared_ptr<spdlog::logger> store() { return get("store"); }
std::shared_ptr<spdlog::logger> auth() { return get("auth"); }
std::shared_ptr<spdlog::logger> delivery() { return get("delivery"); }
std::shared_ptr<spdlog::logger> presence() { return get("presence"); }
std::shared_ptr<spdlog::logger> app() { return get("app"); }
std::shared_ptr<spdlog::logger> push() { return get("push"); }
std::shared_ptr<spdlog::logger> cluster() { return get("cluster"); }

std::string maskPhone(std::string_view phone) {
    if (phone.size() <= 7) return std::string(phone.size(), '*');
    std::string out(phone);
    for (std::size_t i = 4; i + 3 < out.size(); ++i) out[i] = '*';
    return out;
}

} // namespace natter::server::log
