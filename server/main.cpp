// natterd: the Natter server. Parses the command line and runs ServerApp, or a maintenance
// command (natterd migrate, backup, restore, admin).
#include "app/admin_command.h"
#include "app/backup_command.h"
#include "app/migrate_command.h"
#include "app/server_app.h"
#include "config/server_config.h"
#include "logging/journal_sink.h"
#include "logging/loggers.h"

#include <natter/version.h>

#include <sys/stat.h>

#include <iostream>
#include <string_view>

int main(int argc, char* argv[]) {
    // Everything natterd creates (data dir, database and its -wal/-shm, key files, media blobs
    // and upload temp files) is private to its user: 0700 directories, 0600 files.
    ::umask(077);
    const std::string_view command = argc > 1 ? argv[1] : "";
    if (command == "migrate") return natter::server::runMigrateCommand(argc - 1, argv + 1);
    if (command == "backup") return natter::server::runBackupCommand(argc - 1, argv + 1);
    if (command == "admin") return natter::server::runAdminCommand(argc - 1, argv + 1);
    if (command == "restore") return natter::server::runRestoreCommand(argc - 1, argv + 1);
    auto parsed = natter::server::parseCommandLine(argc, argv);
    if (parsed.print_version) {
        std::cout << "natterd " << natter::kVersion << "\n";
        return 0;
    }
    if (!parsed.config) {
        (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.output;
        return parsed.exit_code;
    }
    // The journal's own fields instead of text on stderr, when natterd runs under systemd (or is told to).
    const std::string& target = parsed.config->log_target;
    if (target == "journal" || (target == "auto" && natter::server::log::stderrIsJournal()))
        natter::server::log::useJournal(natter::server::log::kJournalSocket);
    else if (target.starts_with("journal:"))
        natter::server::log::useJournal(target.substr(8));
    if (!natter::server::log::configure(parsed.config->log_level)) {
        std::cerr << "natterd: unknown --log-level '" << parsed.config->log_level << "'\n";
        return 2;
    }
    natter::server::ServerApp app(std::move(*parsed.config),
                                  [argc, argv] { return natter::server::parseCommandLine(argc, argv); });
    return app.run();
}
