#include "store/sqlite/sqlite_account_erasure.h"

namespace natter::server::sqlite::admin {
namespace {

constexpr std::string_view kDeletedPrefix = "deleted:";

std::int64_t run(Connection& db, const char* sql, std::int64_t user) {
    db.prepare(sql).bind(1, user).run();
    return db.changes();
}

} // namespace

std::string deletedPhone(std::int64_t user) { return std::string(kDeletedPrefix) + std::to_string(user); }

bool isDeletedPhone(const std::string& phone) { return phone.starts_with(kDeletedPrefix); }

std::vector<std::string> groupsOf(Connection& db, std::int64_t user) {
    auto s = db.prepare("SELECT cm.chat_id FROM chat_members cm JOIN chats c ON c.id = cm.chat_id "
                        "WHERE cm.user_id = ?1 AND cm.left_seq IS NULL AND c.kind = 1 ORDER BY cm.chat_id");
    s.bind(1, user);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

std::int64_t messagesSent(Connection& db, std::int64_t user) {
    auto s = db.prepare("SELECT COUNT(*) FROM messages WHERE sender_id = ?1 AND kind = 0");
    s.bind(1, user);
    return s.step() ? s.int64(0) : 0;
}

ErasedRows eraseAccountRows(Connection& db, std::int64_t user) {
    ErasedRows out;
    out.contacts = run(db, "DELETE FROM contacts WHERE owner_id = ?1 OR contact_id = ?1", user);
    out.envelopes = run(db, "DELETE FROM envelopes WHERE user_id = ?1", user);
    out.receipts = run(db, "DELETE FROM receipts WHERE user_id = ?1", user);
    out.other += run(db, "DELETE FROM known_phones WHERE owner_id = ?1 OR user_id = ?1", user);
    out.other += run(db, "DELETE FROM link_codes WHERE user_id = ?1", user);
    out.other += run(db, "DELETE FROM device_lists WHERE user_id = ?1", user);
    out.other += run(db, "DELETE FROM verifications WHERE phone = (SELECT phone FROM users WHERE id = ?1)", user);
    // Whatever the revocations left (devices revoked earlier keep nothing either).
    out.other += run(db, "DELETE FROM queue WHERE user_id = ?1", user);
    out.other += run(db, "DELETE FROM identity_keys WHERE user_id = ?1", user);
    out.other += run(db, "DELETE FROM signed_prekeys WHERE user_id = ?1", user);
    out.other += run(db, "DELETE FROM one_time_prekeys WHERE user_id = ?1", user);
    out.other += run(db, "DELETE FROM push_endpoints WHERE user_id = ?1", user);
    out.other += run(db, "DELETE FROM blocks WHERE owner_id = ?1 OR blocked_id = ?1", user);
    db.prepare("UPDATE devices SET name = '', secret_hash = X'' WHERE user_id = ?1").bind(1, user).run();
    db.prepare("UPDATE users SET phone = ?2, display_name = '', status_text = '', last_seen = NULL WHERE id = ?1")
        .bind(1, user)
        .bind(2, deletedPhone(user))
        .run();
    return out;
}

} // namespace natter::server::sqlite::admin
