// A consistent copy of a live SQLite store (WAL mode) for `natterd backup`: SQLite's online
// backup API from a connection of its own, so natterd keeps serving while the copy is taken.
#pragma once

#include "protocol/error.h"

#include <filesystem>

namespace natter::server::sqlite {

// Copies the database `source` (which must exist) into the new file `target` as of one moment:
// everything committed before the copy's read transaction began, nothing after. The copy is
// checked with PRAGMA quick_check.
protocol::Result<void> copyDatabaseOnline(const std::filesystem::path& source, const std::filesystem::path& target);

} // namespace natter::server::sqlite
