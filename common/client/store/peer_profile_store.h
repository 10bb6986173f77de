// The names other users chose for themselves, as their end-to-end encrypted messages carried
// them (protocol "Profile names"): shown where the user gave them no contact name.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"

#include <QString>

#include <optional>
#include <vector>

namespace natter::client::store {

class Database;

struct PeerProfileRecord {
    UserId userId = 0;
    QString name;
    quint32 version = 0;
    QString about; // empty: none
};

class PeerProfileStore {
public:
    explicit PeerProfileStore(Database& db) : m_db(db) {}
    // The name `user` chose, if any of their messages carried one.
    Expected<std::optional<QString>> name(UserId user);
    // The "about" text `user` wrote; empty when none is known.
    Expected<QString> about(UserId user);
    // Keeps `name` and `about` for `user` when `version` is higher than the one stored; returns whether it did.
    Expected<bool> save(UserId user, const QString& name, quint32 version, const QString& about = {});
    // Every stored name, by user id (for the account snapshot a linked device takes over).
    Expected<std::vector<PeerProfileRecord>> all();

private:
    Database& m_db;
};

} // namespace natter::client::store
