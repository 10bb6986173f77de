#include "store/sqlite/sqlite_admin_queries.h"

namespace natter::server::sqlite::admin {
namespace {

// Escapes LIKE's wildcards so TEXT is matched literally.
std::string likePattern(const std::string& text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

constexpr const char* kUserColumns =
    "SELECT u.id, u.phone, u.display_name, u.created_at, "
    "(SELECT COUNT(*) FROM devices d WHERE d.user_id = u.id AND d.revoked_at IS NULL) FROM users u ";

UserRow readUser(const Statement& s) { return {s.int64(0), s.text(1), s.text(2), s.int64(3), s.int64(4)}; }

} // namespace

std::vector<UserRow> users(Connection& db, const std::string& find, std::size_t limit) {
    static const std::string sql = std::string(kUserColumns) +
                                   "WHERE u.phone NOT LIKE 'deleted:%' AND "
                                   "(?1 = '' OR u.phone LIKE ?2 ESCAPE '\\' OR u.display_name LIKE ?2 ESCAPE '\\') "
                                   "ORDER BY u.id LIMIT ?3";
    auto s = db.prepare(sql.c_str());
    s.bind(1, find).bind(2, likePattern(find)).bind(3, static_cast<std::int64_t>(limit));
    std::vector<UserRow> out;
    while (s.step()) out.push_back(readUser(s));
    return out;
}

std::optional<UserRow> user(Connection& db, std::int64_t id) {
    static const std::string sql = std::string(kUserColumns) + "WHERE u.id = ?1";
    auto s = db.prepare(sql.c_str());
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readUser(s);
}

std::vector<DeviceRow> devices(Connection& db, std::int64_t user) {
    auto s = db.prepare("SELECT device_id, name, created_at, last_connected_at, revoked_at FROM devices "
                        "WHERE user_id = ?1 ORDER BY device_id");
    s.bind(1, user);
    std::vector<DeviceRow> out;
    while (s.step()) out.push_back({s.int64(0), s.text(1), s.int64(2), s.optInt64(3), s.optInt64(4)});
    return out;
}

std::int64_t totalQueued(Connection& db) {
    auto s = db.prepare("SELECT COUNT(*) FROM queue");
    return s.step() ? s.int64(0) : 0;
}

std::vector<QueueRow> largestQueues(Connection& db, std::size_t limit) {
    auto s = db.prepare("SELECT user_id, device_id, COUNT(*) AS depth FROM queue GROUP BY user_id, device_id "
                        "ORDER BY depth DESC, user_id, device_id LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<QueueRow> out;
    while (s.step()) out.push_back({s.int64(0), s.int64(1), s.int64(2)});
    return out;
}

} // namespace natter::server::sqlite::admin
