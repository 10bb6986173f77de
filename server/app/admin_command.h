// `natterd admin --data-dir DIR VERB`: works on a single node's data directly in its SQLite store
// (natterd may be running): users [--find TEXT], devices USER, queues [--top N], revoke-device, delete-account,
// rotate-jwt-key; --json for scripts. No message content is read. Exit codes: 0 done, 1 failed
// or refused (nothing changed), 2 bad command line.
#pragma once

namespace natter::server {

int runAdminCommand(int argc, const char* const argv[]);

} // namespace natter::server
