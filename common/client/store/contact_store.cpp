// ContactStore: contacts by user id (phone, local name, identity-changed flag) and the
// device ids last known for each user.
#include "client/store/contact_store.h"

#include "client/store/database.h"

namespace natter::client::store {

namespace {

constexpr const char* kColumns = "SELECT user_id, phone, name, identity_changed FROM contacts ";

ContactRecord readContact(const Statement& s) {
    ContactRecord c;
    c.userId = UserId(s.int64(0));
    c.phone = s.text(1);
    c.name = s.text(2);
    c.identityChanged = s.int64(3) != 0;
    return c;
}

Expected<std::vector<ContactRecord>> readAll(Statement& stmt) {
    std::vector<ContactRecord> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(readContact(stmt));
    }
}

Expected<std::optional<ContactRecord>> readOne(Expected<Statement>& stmt) {
    if (!stmt) return stmt.error();
    auto all = readAll(*stmt);
    if (!all) return all.error();
    if (all->empty()) return std::optional<ContactRecord>();
    return std::optional<ContactRecord>(all->front());
}

} // namespace

Expected<void> ContactStore::upsert(const ContactRecord& contact) {
    return m_db.transaction([&]() -> Expected<void> {
        auto insert = m_db.prepare("INSERT OR IGNORE INTO contacts (user_id) VALUES (?)");
        if (!insert) return insert.error();
        insert->bind(1, qint64(contact.userId));
        if (auto r = insert->run(); !r) return r;
        // Empty fields keep what is known; identityChanged is only ever raised here.
        auto update = m_db.prepare("UPDATE contacts SET "
                                   "phone = CASE WHEN ?2 = '' THEN phone ELSE ?2 END, "
                                   "name = CASE WHEN ?3 = '' THEN name ELSE ?3 END, "
                                   "identity_changed = identity_changed OR ?4 "
                                   "WHERE user_id = ?1");
        if (!update) return update.error();
        update->bind(1, qint64(contact.userId))
            .bind(2, contact.phone)
            .bind(3, contact.name)
            .bind(4, qint64(contact.identityChanged ? 1 : 0));
        return update->run();
    });
}

Expected<std::optional<ContactRecord>> ContactStore::byId(UserId userId) {
    auto stmt = m_db.prepare(std::string(kColumns) + "WHERE user_id = ?");
    if (stmt) stmt->bind(1, qint64(userId));
    return readOne(stmt);
}

Expected<std::optional<ContactRecord>> ContactStore::byPhone(const QString& phone) {
    auto stmt = m_db.prepare(std::string(kColumns) + "WHERE phone = ? AND phone <> '' ORDER BY user_id LIMIT 1");
    if (stmt) stmt->bind(1, phone);
    return readOne(stmt);
}

Expected<std::vector<ContactRecord>> ContactStore::byName(const QString& name) {
    auto stmt = m_db.prepare(std::string(kColumns) + "WHERE name = ? COLLATE NOCASE AND name <> '' ORDER BY phone");
    if (!stmt) return stmt.error();
    stmt->bind(1, name);
    return readAll(*stmt);
}

Expected<std::vector<ContactRecord>> ContactStore::all() {
    auto stmt = m_db.prepare(std::string(kColumns) + "ORDER BY name COLLATE NOCASE, phone, user_id");
    if (!stmt) return stmt.error();
    return readAll(*stmt);
}

Expected<void> ContactStore::remove(UserId userId) {
    auto stmt = m_db.prepare("DELETE FROM contacts WHERE user_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(userId));
    return stmt->run();
}

Expected<void> ContactStore::setIdentityChanged(UserId userId, bool changed) {
    auto stmt = m_db.prepare("UPDATE contacts SET identity_changed = ? WHERE user_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(changed ? 1 : 0)).bind(2, qint64(userId));
    return stmt->run();
}

Expected<std::vector<DeviceId>> ContactStore::devices(UserId userId) {
    auto stmt = m_db.prepare("SELECT device_id FROM contact_devices WHERE user_id = ? ORDER BY device_id");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(userId));
    std::vector<DeviceId> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(DeviceId(stmt->int64(0)));
    }
}

Expected<void> ContactStore::setDevices(UserId userId, const std::vector<DeviceId>& devices) {
    return m_db.transaction([&]() -> Expected<void> {
        auto clear = m_db.prepare("DELETE FROM contact_devices WHERE user_id = ?");
        if (!clear) return clear.error();
        clear->bind(1, qint64(userId));
        if (auto r = clear->run(); !r) return r;
        auto insert = m_db.prepare("INSERT OR IGNORE INTO contact_devices (user_id, device_id) VALUES (?, ?)");
        if (!insert) return insert.error();
        for (DeviceId device : devices) {
            insert->reset();
            insert->bind(1, qint64(userId)).bind(2, qint64(device));
            if (auto r = insert->run(); !r) return r;
        }
        return {};
    });
}

} // namespace natter::client::store
