#include "app/admin_command.h"

#include "app/admin_actions.h"
#include "store/sqlite/sqlite_account_erasure.h"
#include "store/sqlite/sqlite_admin_queries.h"
#include "store/store_records.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace natter::server {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
namespace json = boost::json;
namespace q = sqlite::admin;

constexpr std::size_t kMaxUsersListed = 10000;

using Table = std::vector<std::vector<std::string>>;

// Left-aligned columns two spaces apart; the first row is the heading.
void printTable(const Table& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths.resize(std::max(widths.size(), row.size()));
            widths[i] = std::max(widths[i], row[i].size());
        }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        std::cout << line << '\n';
    }
}

std::string when(std::optional<std::int64_t> ms) {
    if (!ms) return "-";
    const std::time_t seconds = static_cast<std::time_t>(*ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &tm);
    return text;
}

json::value jsonTime(std::optional<std::int64_t> ms) { return ms ? json::value(*ms) : json::value(nullptr); }

bool parseId(const std::string& text, std::int64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out > 0;
}

int users(sqlite::Connection& db, const std::string& find, bool asJson) {
    const auto rows = q::users(db, find, kMaxUsersListed);
    if (asJson) {
        json::array out;
        for (const auto& u : rows)
            out.push_back(json::object{{"id", u.id}, {"phone", u.phone}, {"name", u.name},
                                       {"created_at", u.created_at}, {"devices", u.devices}});
        std::cout << json::serialize(json::object{{"users", std::move(out)}}) << '\n';
        return 0;
    }
    Table table{{"ID", "PHONE", "NAME", "CREATED (UTC)", "DEVICES"}};
    for (const auto& u : rows)
        table.push_back({std::to_string(u.id), u.phone, u.name, when(u.created_at), std::to_string(u.devices)});
    printTable(table);
    std::cout << rows.size() << (rows.size() == 1 ? " user" : " users") << (find.empty() ? "" : " found") << '\n';
    return 0;
}

int devices(sqlite::Connection& db, std::int64_t userId, bool asJson) {
    if (const auto u = q::user(db, userId); !u || sqlite::admin::isDeletedPhone(u->phone)) {
        std::cerr << "natterd admin: there is no user " << userId << "\n";
        return 1;
    }
    const auto rows = q::devices(db, userId);
    if (asJson) {
        json::array out;
        for (const auto& d : rows)
            out.push_back(json::object{{"id", d.id}, {"name", d.name}, {"created_at", d.created_at},
                                       {"last_connected_at", jsonTime(d.last_connected_at)},
                                       {"revoked_at", jsonTime(d.revoked_at)}});
        std::cout << json::serialize(json::object{{"user", userId}, {"devices", std::move(out)}}) << '\n';
        return 0;
    }
    Table table{{"DEVICE", "NAME", "CREATED (UTC)", "LAST CONNECTED", "REVOKED"}};
    for (const auto& d : rows)
        table.push_back({std::to_string(d.id), d.name.empty() ? "-" : d.name, when(d.created_at),
                         when(d.last_connected_at), when(d.revoked_at)});
    printTable(table);
    return 0;
}

int queues(sqlite::Connection& db, std::size_t top, bool asJson) {
    const auto total = q::totalQueued(db);
    const auto rows = q::largestQueues(db, top);
    if (asJson) {
        json::array out;
        for (const auto& r : rows)
            out.push_back(json::object{{"user", r.user_id}, {"device", r.device_id}, {"depth", r.depth}});
        std::cout << json::serialize(json::object{{"total", total}, {"largest", std::move(out)}}) << '\n';
        return 0;
    }
    std::cout << total << " events queued in total; the largest queues:\n";
    Table table{{"USER", "DEVICE", "QUEUED"}};
    for (const auto& r : rows)
        table.push_back({std::to_string(r.user_id), std::to_string(r.device_id), std::to_string(r.depth)});
    printTable(table);
    return 0;
}

} // namespace

int runAdminCommand(int argc, const char* const argv[]) {
    std::string dataDir, verb, find, mediaDir;
    std::vector<std::string> args;
    std::size_t top = 10;
    bool asJson = false, yes = false;
    po::options_description opts("natterd admin options");
    opts.add_options()("help,h", "print this help and exit")(
        "data-dir", po::value(&dataDir)->required(), "natterd's data directory (its SQLite store)")(
        "find", po::value(&find), "users: only those whose phone or name contains TEXT")(
        "top", po::value(&top)->default_value(10), "queues: how many of the largest queues to list")(
        "json", po::bool_switch(&asJson), "print one JSON object instead of a table")(
        "yes", po::bool_switch(&yes), "delete-account: really delete (without it: only say what would go)")(
        "media-dir", po::value(&mediaDir), "delete-account: natterd's --media-dir, when not media/ in the data dir");
    po::options_description hidden;
    hidden.add_options()("verb", po::value(&verb))("args", po::value(&args));
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description positional;
    positional.add("verb", 1).add("args", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        if (vm.count("help")) {
            std::cout << "natterd admin - look after a single node's users, devices, queues and keys\n\n"
                         "Usage: natterd admin --data-dir DIR users [--find TEXT] [--json]\n"
                         "       natterd admin --data-dir DIR devices USER [--json]\n"
                         "       natterd admin --data-dir DIR queues [--top N] [--json]\n"
                         "       natterd admin --data-dir DIR revoke-device USER DEVICE [--json]\n"
                         "       natterd admin --data-dir DIR delete-account USER [--yes] [--media-dir DIR] [--json]\n"
                         "       natterd admin --data-dir DIR rotate-jwt-key [--json]\n\n"
                      << opts;
            return 0;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "natterd admin: " << e.what() << "\n";
        return 2;
    }
    const bool known = (verb == "users" && args.empty()) || (verb == "devices" && args.size() == 1) ||
                       (verb == "queues" && args.empty()) || (verb == "revoke-device" && args.size() == 2) ||
                       (verb == "rotate-jwt-key" && args.empty()) || (verb == "delete-account" && args.size() == 1);
    if (!known) {
        std::cerr << "natterd admin: expected 'users', 'devices USER', 'queues', 'revoke-device USER DEVICE' or "
                     "'delete-account USER' or 'rotate-jwt-key'; see natterd admin --help\n";
        return 2;
    }
    std::int64_t userId = 0, deviceId = 0;
    if (!args.empty() && !parseId(args[0], userId)) {
        std::cerr << "natterd admin: USER must be a user id (a positive number), got '" << args[0] << "'\n";
        return 2;
    }
    if (args.size() > 1 && !parseId(args[1], deviceId)) {
        std::cerr << "natterd admin: DEVICE must be a device id (a positive number), got '" << args[1] << "'\n";
        return 2;
    }
    if (verb == "rotate-jwt-key") return adminRotateJwtKey(dataDir, asJson);
    const fs::path file = fs::path(dataDir) / "natterd.db";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        std::cerr << "natterd admin: there is no SQLite store at " << file.string()
                  << " (on PostgreSQL, natterd admin is not available)\n";
        return 1;
    }
    try {
        sqlite::Connection db(file);
        if (verb == "users") return users(db, find, asJson);
        if (verb == "devices") return devices(db, userId, asJson);
        if (verb == "revoke-device") return adminRevokeDevice(file, userId, deviceId, asJson);
        if (verb == "delete-account")
            return adminDeleteAccount(file, mediaDir.empty() ? fs::path(dataDir) / "media" : fs::path(mediaDir), userId,
                                      yes, asJson);
        return queues(db, std::clamp<std::size_t>(top, 1, 1000), asJson);
    } catch (const StoreError& e) {
        std::cerr << "natterd admin: cannot use " << file.string() << ": " << e.what() << "\n";
        return 1;
    }
}

} // namespace natter::server
