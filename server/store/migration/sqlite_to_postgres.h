// Moves a single-node installation up to PostgreSQL (`natterd migrate`): every table of the
// SQLite store, row for row, into an empty PostgreSQL database in one transaction, so the
// target ends up either complete or untouched. Queue ids are renumbered per device (they are
// global in SQLite, dense per device in PostgreSQL); everything else keeps its ids.
#pragma once

#include "protocol/error.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace natter::server {

struct TableCopy {
    std::string table;
    std::uint64_t rows = 0; // copied, and found in the target after the commit
};

struct CopyReport {
    std::vector<TableCopy> tables;
    std::uint64_t totalRows() const;
};

// Called every few thousand rows and at the end of each table.
using CopyProgress = std::function<void(const std::string& table, std::uint64_t rowsSoFar)>;

// Fails, changing nothing, when the source is missing or unreadable, the target cannot be
// reached, or the target already holds data.
protocol::Result<CopyReport> copySqliteToPostgres(const std::filesystem::path& sqliteFile, const std::string& pgUri,
                                                  const CopyProgress& progress);

} // namespace natter::server
