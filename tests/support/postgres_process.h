// A real, private PostgreSQL 15 for tests: a temporary cluster (initdb -A trust) served on an
// ephemeral loopback port with fsync on, stopped (fast shutdown) and removed on destruction.
// PostgreSQL refuses to run as root: then initdb and postgres run as the `postgres` system user.
// One server per test executable (shared()); each test case takes a fresh database from it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace natter::test {

class PostgresProcess {
public:
    PostgresProcess() = default;
    ~PostgresProcess(); // fast shutdown, reap, remove the cluster
    PostgresProcess(const PostgresProcess&) = delete;
    PostgresProcess& operator=(const PostgresProcess&) = delete;

    // Creates the cluster and starts the server; waits (bounded) until it accepts connections.
    bool start(int timeoutMs = 60000);
    bool isRunning() const { return pid_ > 0; }
    // Fast shutdown (the cluster stays), and a start again on the same port (outage tests).
    void stop();
    bool restart(int timeoutMs = 60000);
    const std::string& errorString() const { return error_; }
    std::uint16_t port() const { return port_; }

    // libpq URI of database `db` as the superuser `postgres`.
    std::string uri(const std::string& db) const;
    // A new empty database (CREATE DATABASE ... TEMPLATE template0), so test cases do not see
    // each other's rows. Returns its URI, or an empty string with errorString() set.
    std::string createDatabase();

    // The executable's one server, started at first use (check isRunning()).
    static PostgresProcess& shared();
    // Whether integration suites run natterd on PostgreSQL (NATTER_TEST_STORE=postgres).
    static bool requestedForNatterd();

private:
    bool runInitdb(int timeoutMs);
    bool launch(std::uint16_t port, int timeoutMs);
    pid_t spawn(const std::string& program, const std::vector<std::string>& args, const std::string& logFile);
    std::string log(const std::string& name) const;
    void dropDatabases();

    std::filesystem::path dir_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    int databases_ = 0;
    std::vector<std::string> created_;
    std::string error_;
};

} // namespace natter::test
