// One spdlog logger per subsystem, all writing to stderr. Never log secrets, tokens,
// keys, verification codes' owners beyond a masked phone, or message content.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <string_view>

namespace natter::server::log {

// Creates the subsystem loggers at `level` (trace|debug|info|warn|error); false if unknown.
bool configure(std::string_view level);

std::shared_ptr<spdlog::logger> net();      // transport, connections
std::shared_ptr<spdlog::logger> store();    // database, migrations, commits
std::shared_ptr<spdlog::logger> auth();     // registration, tokens
std::shared_ptr<spdlog::logger> delivery(); // message routing, queues, receipts
std::shared_ptr<spdlog::logger> presence(); // presence and typing
std::shared_ptr<spdlog::logger> app();      // start-up and shutdown
std::shared_ptr<spdlog::logger> push();     // push wake-ups (endpoint hosts only, never URLs)
std::shared_ptr<spdlog::logger> cluster();  // Redis connections, routing between nodes

// "+49151****678": enough to tell numbers apart in a log, not enough to harvest them.
std::string maskPhone(std::string_view phone);

} // namespace natter::server::log
