#include "app/migrate_command.h"

#include "store/migration/sqlite_to_postgres.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace natter::server {
namespace {

namespace po = boost::program_options;

constexpr std::string_view kSqlitePrefix = "sqlite:";

bool isPostgresUri(const std::string& uri) { return uri.starts_with("postgres://") || uri.starts_with("postgresql://"); }

void printTable(const CopyReport& report, double seconds) {
    for (const auto& t : report.tables) std::printf("  %-18s %10llu\n", t.table.c_str(), static_cast<unsigned long long>(t.rows));
    std::printf("Copied %llu rows of %zu tables in %.1f s; the target holds every one of them.\n",
                static_cast<unsigned long long>(report.totalRows()), report.tables.size(), seconds);
}

void printJson(const CopyReport& report, double seconds) {
    boost::json::object tables;
    for (const auto& t : report.tables) tables[t.table] = t.rows;
    std::cout << boost::json::serialize(boost::json::object{
                     {"ok", true}, {"rows", report.totalRows()}, {"seconds", seconds}, {"tables", std::move(tables)}})
              << '\n';
}

} // namespace

int runMigrateCommand(int argc, const char* const argv[]) {
    std::string from, to;
    bool json = false;
    po::options_description opts("natterd migrate options");
    opts.add_options()("help,h", "print this help and exit")(
        "from", po::value(&from)->required(), "the single-node store: sqlite:PATH (natterd.db in the old --data-dir)")(
        "to", po::value(&to)->required(), "an empty PostgreSQL database: postgres://USER@HOST:PORT/DB")(
        "json", po::bool_switch(&json), "print one JSON object (the copied rows per table) instead of a table");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, opts), vm);
        if (vm.count("help")) {
            std::cout << "natterd migrate - copy a single-node installation into PostgreSQL\n\n"
                         "Usage: natterd migrate --from sqlite:PATH --to postgres://USER@HOST:PORT/DB [--json]\n\n"
                      << opts
                      << "\nThe target must be empty; the copy is one transaction (all or nothing). Then start the\n"
                         "nodes with --store set to the target and the old installation's key files and media:\n"
                         "--jwt-key DIR/jwt.key --verification-key DIR/verification.key --media-dir DIR/media\n";
            return 0;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "natterd migrate: " << e.what() << "\n";
        return 2;
    }
    if (!from.starts_with(kSqlitePrefix) || from.size() == kSqlitePrefix.size()) {
        std::cerr << "natterd migrate: --from must be sqlite:PATH, got '" << from << "'\n";
        return 2;
    }
    if (!isPostgresUri(to)) {
        std::cerr << "natterd migrate: --to must be a postgres:// URI\n";
        return 2;
    }
    const bool showProgress = !json && ::isatty(STDERR_FILENO);
    const auto started = std::chrono::steady_clock::now();
    const auto report = copySqliteToPostgres(from.substr(kSqlitePrefix.size()), to,
                                             [&](const std::string& table, std::uint64_t rows) {
                                                 if (showProgress)
                                                     std::fprintf(stderr, "\r  copying %-18s %10llu", table.c_str(),
                                                                  static_cast<unsigned long long>(rows));
                                             });
    if (showProgress) std::fprintf(stderr, "\r%50s\r", "");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!report) {
        if (json)
            std::cout << boost::json::serialize(boost::json::object{{"ok", false}, {"error", report.error().message}})
                      << '\n';
        else
            std::cerr << "natterd migrate: " << report.error().message << "\n";
        return 1;
    }
    if (json) printJson(*report, seconds);
    else printTable(*report, seconds);
    return 0;
}

} // namespace natter::server
