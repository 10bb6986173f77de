// Run by tst_powercut_layer under libnatter_powercut.so: does one kind of write, then dies by
// SIGKILL, as at a power cut. Usage:
//   powercut_probe write <file> <text> [trunc] [fsync] [dirsync]  (appends text, creating the file;
//                                                                  trunc: O_TRUNC instead)
//   powercut_probe rename <from> <to> [dirsync]
//   powercut_probe unlink <file> [dirsync]
//   powercut_probe sqlite <db> <off|full> <text>        (one committed row in table t)
#include <sqlite3.h>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

bool syncDirectoryOf(const std::string& path) {
    const int dir = ::open(path.substr(0, path.rfind('/')).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return dir >= 0 && ::fsync(dir) == 0;
}

bool dirsyncAsked(int argc, char** argv, int from) {
    for (int i = from; i < argc; ++i)
        if (std::strcmp(argv[i], "dirsync") == 0) return true;
    return false;
}

int write(int argc, char** argv) {
    const std::string path = argv[2];
    const int mode = argc > 4 && std::strcmp(argv[4], "trunc") == 0 ? O_TRUNC : O_APPEND;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | mode | O_CLOEXEC, 0600);
    if (fd < 0 || ::write(fd, argv[3], std::strlen(argv[3])) < 0) return 1;
    for (int i = 4; i < argc; ++i) {
        if (std::strcmp(argv[i], "fsync") == 0 && ::fsync(fd) != 0) return 1;
        if (std::strcmp(argv[i], "dirsync") == 0 && !syncDirectoryOf(path)) return 1;
    }
    return 0;
}

int rename(int argc, char** argv) {
    if (::rename(argv[2], argv[3]) != 0) return 1;
    return dirsyncAsked(argc, argv, 4) && !syncDirectoryOf(argv[3]) ? 1 : 0;
}

int unlink(int argc, char** argv) {
    if (::unlink(argv[2]) != 0) return 1;
    return dirsyncAsked(argc, argv, 3) && !syncDirectoryOf(argv[2]) ? 1 : 0;
}

int sqlite(char** argv) {
    sqlite3* db = nullptr;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK) return 1;
    const std::string sql = std::string("PRAGMA journal_mode = WAL; PRAGMA synchronous = ") + argv[3] +
                            "; CREATE TABLE IF NOT EXISTS t (text TEXT NOT NULL); INSERT INTO t VALUES ('" +
                            argv[4] + "');";
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK ? 0 : 1; // left open
}

} // namespace

int main(int argc, char** argv) {
    int rc = 2;
    if (argc >= 4 && std::strcmp(argv[1], "write") == 0) rc = write(argc, argv);
    else if (argc >= 4 && std::strcmp(argv[1], "rename") == 0) rc = rename(argc, argv);
    else if (argc >= 3 && std::strcmp(argv[1], "unlink") == 0) rc = unlink(argc, argv);
    else if (argc == 5 && std::strcmp(argv[1], "sqlite") == 0) rc = sqlite(argv);
    if (rc == 0) ::raise(SIGKILL);
    return rc;
}
