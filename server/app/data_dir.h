// natterd's data directory is private to the user natterd runs as: created 0700; an existing
// one (and what an older natterd left in it) that group or others may access is tightened to
// 0700 for directories and 0600 for files, and logged. Key files are not touched here: a key
// file others may have read is refused at start (secrets::loadOrCreateKey), the operator decides.
#pragma once

#include "protocol/error.h"

#include <filesystem>

namespace natter::server {

protocol::Result<void> prepareDataDir(const std::filesystem::path& dir);

} // namespace natter::server
