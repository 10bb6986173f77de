// natter backup and restore: the backup passphrase (NATTER_BACKUP_PASSPHRASE, else asked on
// the terminal, twice for a new backup), and restore, which creates a profile from a backup
// file without opening any (common/client/store/profile_backup.h does the work).
#pragma once

#include "client/core/result.h"

#include <QByteArray>

namespace natter::cli {

struct Invocation;
class Printer;

client::Expected<QByteArray> backupPassphrase(bool confirm);
// `natter --profile NAME restore FILE`: the documented exit code.
int restoreProfile(const Invocation& inv, Printer& printer);

} // namespace natter::cli
