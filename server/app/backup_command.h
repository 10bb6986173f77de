// `natterd backup --data-dir DIR --out FILE` and `natterd restore FILE --data-dir DIR`: a
// consistent online copy of a single-node installation (SQLite store, key files, media) in one
// file (app/backup_archive.h), and its restore into an empty data dir. Exit codes as for migrate:
// 0 done, 1 failed (nothing changed), 2 bad command line.
#pragma once

namespace natter::server {

int runBackupCommand(int argc, const char* const argv[]);
int runRestoreCommand(int argc, const char* const argv[]);

} // namespace natter::server
