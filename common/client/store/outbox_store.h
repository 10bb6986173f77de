// Messages not yet acknowledged "sent" by the server, kept across restarts and retried in
// order with the same clientMsgId, so the server deduplicates a resend.
#pragma once

#include "client/store/records.h"
#include "client/core/result.h"

#include <optional>
#include <vector>

namespace natter::client::store {

class Database;

class OutboxStore {
public:
    explicit OutboxStore(Database& db) : m_db(db) {}
    Expected<qint64> enqueue(const OutboxEntry& entry);
    // Oldest first; at most `limit` entries (-1: all).
    Expected<std::vector<OutboxEntry>> pending(int limit = -1);
    // How many entries wait: all of them, or only the user's messages (not control content).
    Expected<int> count(bool messagesOnly = false);
    Expected<std::optional<OutboxEntry>> byClientMsgId(const QString& clientMsgId);
    Expected<void> bumpAttempts(qint64 id);
    Expected<void> remove(qint64 id);

private:
    Database& m_db;
};

} // namespace natter::client::store
