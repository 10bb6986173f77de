// `natterd migrate --from sqlite:PATH --to postgres://…`: moves a single-node installation into
// PostgreSQL (store/migration/sqlite_to_postgres.h), with progress for people and --json for
// scripts. Exit codes: 0 copied, 1 failed (nothing changed), 2 bad command line.
#pragma once

namespace natter::server {

int runMigrateCommand(int argc, const char* const argv[]);

} // namespace natter::server
