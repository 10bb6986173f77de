#include "postgres_process.h"

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace natter::test {
namespace {
const std::string kBin = "/usr/lib/postgresql/15/bin/";
using Clock = std::chrono::steady_clock;

// A port nobody listens on right now (the server may still lose it to a race: start() retries).
std::uint16_t freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    std::uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

// Waits for `pid` until the deadline; true with its status if it exited.
bool reap(pid_t pid, Clock::time_point deadline, int& status) {
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || r < 0) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // polling a child, not a test wait
    }
}
} // namespace

PostgresProcess::~PostgresProcess() {
    if (isRunning()) dropDatabases(); // their pages need not be written out by the shutdown checkpoint
    stop();
    if (!dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
}

PostgresProcess& PostgresProcess::shared() {
    static PostgresProcess server;
    // Started once; a failure shows in isRunning() and errorString(), which callers check.
    [[maybe_unused]] static const bool started = server.start();
    return server;
}

bool PostgresProcess::requestedForNatterd() {
    const char* store = std::getenv("NATTER_TEST_STORE");
    return store && std::string(store) == "postgres";
}

std::string PostgresProcess::uri(const std::string& db) const {
    return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

std::string PostgresProcess::log(const std::string& name) const {
    std::ifstream in(dir_ / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

pid_t PostgresProcess::spawn(const std::string& program, const std::vector<std::string>& args,
                             const std::string& logFile) {
    std::vector<std::string> all{program};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const passwd* pg = ::geteuid() == 0 ? ::getpwnam("postgres") : nullptr;
    const uid_t uid = pg ? pg->pw_uid : 0;
    const gid_t gid = pg ? pg->pw_gid : 0;
    const std::string logPath = (dir_ / logFile).string();
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    // Child: only async-signal-safe calls until exec.
    const int out = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
        ::dup2(out, 1);
        ::dup2(out, 2);
    }
    ::setsid(); // a Ctrl-C meant for the test runner does not reach the server before its shutdown
    if (pg && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)) ::_exit(126);
    ::prctl(PR_SET_PDEATHSIG, SIGINT); // a test that crashes takes its server with it (set after setuid)
    ::execv(argv[0], argv.data());
    ::_exit(127);
}

bool PostgresProcess::runInitdb(int timeoutMs) {
    const pid_t pid = spawn(kBin + "initdb", {"-D", (dir_ / "data").string(), "-A", "trust", "-U", "postgres",
                                              "-E", "UTF8", "--locale=C", "--no-sync"},
                            "initdb.log");
    int status = 0;
    if (pid < 0 || !reap(pid, Clock::now() + std::chrono::milliseconds(timeoutMs), status)) {
        if (pid > 0) ::kill(pid, SIGKILL), reap(pid, Clock::now() + std::chrono::seconds(5), status);
        error_ = "initdb did not finish: " + log("initdb.log");
        return false;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        error_ = "initdb failed: " + log("initdb.log");
        return false;
    }
    return true;
}

bool PostgresProcess::launch(std::uint16_t port, int timeoutMs) {
    port_ = port;
    pid_ = spawn(kBin + "postgres", {"-D", (dir_ / "data").string(), "-p", std::to_string(port_), "-k", dir_.string(),
                                     "-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "max_connections=200"},
                 "postgres.log");
    const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=postgres";
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (Clock::now() < deadline) {
        if (PQping(conninfo.c_str()) == PQPING_OK) return true;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            error_ = "postgres exited: " + log("postgres.log");
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // polling the server, bounded
    }
    error_ = "postgres did not accept connections in time: " + log("postgres.log");
    stop();
    return false;
}

bool PostgresProcess::start(int timeoutMs) {
    char tmpl[] = "/tmp/natter-pg-XXXXXX";
    if (!::mkdtemp(tmpl)) {
        error_ = "cannot create a temporary directory";
        return false;
    }
    dir_ = tmpl;
    if (::geteuid() == 0) {
        const passwd* pg = ::getpwnam("postgres");
        if (!pg || ::chown(dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0) {
            error_ = "running as root needs the 'postgres' system user (Debian's postgresql package)";
            return false;
        }
    }
    if (!runInitdb(timeoutMs)) return false;
    for (int attempt = 0; attempt < 3; ++attempt) // a port taken between freePort() and bind
        if (launch(freePort(), timeoutMs)) return true;
    return false;
}

bool PostgresProcess::restart(int timeoutMs) {
    if (isRunning() || dir_.empty()) return isRunning();
    return launch(port_, timeoutMs);
}

void PostgresProcess::dropDatabases() {
    PGconn* conn = PQconnectdb(uri("postgres").c_str());
    if (PQstatus(conn) == CONNECTION_OK)
        for (const auto& name : created_) PQclear(PQexec(conn, ("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").c_str()));
    PQfinish(conn);
    created_.clear();
}

void PostgresProcess::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGINT); // fast shutdown: roll back open transactions, checkpoint, exit
    int status = 0;
    if (!reap(pid_, Clock::now() + std::chrono::seconds(30), status)) {
        ::kill(pid_, SIGKILL);
        reap(pid_, Clock::now() + std::chrono::seconds(10), status);
    }
    pid_ = -1;
}

std::string PostgresProcess::createDatabase() {
    if (!isRunning()) {
        if (error_.empty()) error_ = "PostgreSQL is not running";
        return {};
    }
    const std::string name = "natter_" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
    PGconn* conn = PQconnectdb(uri("postgres").c_str());
    std::string result;
    if (PQstatus(conn) == CONNECTION_OK) {
        PGresult* r = PQexec(conn, ("CREATE DATABASE " + name + " TEMPLATE template0").c_str());
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            result = uri(name);
            created_.push_back(name);
        }
        else error_ = std::string("CREATE DATABASE failed: ") + PQerrorMessage(conn);
        PQclear(r);
    } else {
        error_ = std::string("cannot connect: ") + PQerrorMessage(conn);
    }
    PQfinish(conn);
    return result;
}

} // namespace natter::test
