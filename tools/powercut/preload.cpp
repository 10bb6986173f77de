// libnatter_powercut.so, an LD_PRELOAD layer for power-loss tests (tools/powercut/README.md): for
// files under $NATTER_POWERCUT_DIR it keeps, in $NATTER_POWERCUT_IMAGES, each file's bytes as of its
// last fsync and the directory entries as of their directory's last fsync, so that a power cut
// (SIGKILL, then durable_images.h's powerCut) can drop every write that was never made durable.
// With $NATTER_POWERCUT_KILL_AFTER_OUTPUT set, the process kills itself with SIGKILL right after
// it wrote that text to stdout: the power fails the moment it reported something as done.
// Only libc is used (no libstdc++), so it loads into any process; state is guarded by one mutex.
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

// The real functions, found behind this library (RTLD_NEXT).
struct Real {
    int (*open)(const char*, int, ...);
    int (*openat)(int, const char*, int, ...);
    int (*close)(int);
    int (*dup)(int);
    int (*dup2)(int, int);
    int (*dup3)(int, int, int);
    ssize_t (*write)(int, const void*, size_t);
    ssize_t (*pwrite)(int, const void*, size_t, off_t);
    ssize_t (*writev)(int, const struct iovec*, int);
    ssize_t (*pwritev)(int, const struct iovec*, int, off_t);
    ssize_t (*pwritev2)(int, const struct iovec*, int, off_t, int);
    int (*ftruncate)(int, off_t);
    int (*truncate)(const char*, off_t);
    int (*fallocate)(int, int, off_t, off_t);
    int (*posix_fallocate)(int, off_t, off_t);
    ssize_t (*copy_file_range)(int, off_t*, int, off_t*, size_t, unsigned);
    int (*fsync)(int);
    int (*fdatasync)(int);
    int (*sync_file_range)(int, off_t, off_t, unsigned);
    void (*sync)();
    int (*syncfs)(int);
    size_t (*fwrite)(const void*, size_t, size_t, FILE*);
};

struct Range {
    off_t lo, hi;
};

// A watched regular file this process opened: what changed since its last sync.
struct Inode {
    ino_t ino;
    off_t minSize;  // smallest size since the last sync (a truncation), -1: none
    Range* ranges;  // byte ranges written since the last sync (overlaps allowed)
    size_t count, capacity;
    char path[PATH_MAX]; // where it was last opened (for sync() without a descriptor)
};

enum Kind : unsigned char { kNone = 0, kFile, kDirectory };
struct Fd {
    Kind kind;
    bool syncEach; // O_SYNC / O_DSYNC
    size_t inode;  // index into inodes
};

constexpr size_t kMaxRanges = 4096; // beyond: one range covering them all (copying more is harmless)

Real real;
pthread_once_t once = PTHREAD_ONCE_INIT;
pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
bool enabled = false;
char watched[PATH_MAX];
size_t watchedLength = 0;
char images[PATH_MAX];
const char* killAfter = nullptr; // NATTER_POWERCUT_KILL_AFTER_OUTPUT
Fd* fds = nullptr;
size_t fdCount = 0;
Inode* inodes = nullptr;
size_t inodeCount = 0;

template <typename F> void resolve(F& f, const char* name) { f = reinterpret_cast<F>(dlsym(RTLD_NEXT, name)); }

void init() {
    resolve(real.open, "open64");
    resolve(real.openat, "openat64");
    resolve(real.close, "close");
    resolve(real.dup, "dup");
    resolve(real.dup2, "dup2");
    resolve(real.dup3, "dup3");
    resolve(real.write, "write");
    resolve(real.pwrite, "pwrite64");
    resolve(real.writev, "writev");
    resolve(real.pwritev, "pwritev64");
    resolve(real.pwritev2, "pwritev64v2");
    resolve(real.ftruncate, "ftruncate64");
    resolve(real.truncate, "truncate64");
    resolve(real.fallocate, "fallocate64");
    resolve(real.posix_fallocate, "posix_fallocate64");
    resolve(real.copy_file_range, "copy_file_range");
    resolve(real.fsync, "fsync");
    resolve(real.fdatasync, "fdatasync");
    resolve(real.sync_file_range, "sync_file_range");
    resolve(real.sync, "sync");
    resolve(real.syncfs, "syncfs");
    resolve(real.fwrite, "fwrite");
    if (const char* text = getenv("NATTER_POWERCUT_KILL_AFTER_OUTPUT"); text && *text) killAfter = text;
    const char* dir = getenv("NATTER_POWERCUT_DIR");
    const char* img = getenv("NATTER_POWERCUT_IMAGES");
    if (!dir || !*dir || !img || !*img) return;
    if (!realpath(dir, watched)) snprintf(watched, sizeof watched, "%s", dir);
    watchedLength = strlen(watched);
    while (watchedLength > 1 && watched[watchedLength - 1] == '/') watched[--watchedLength] = '\0';
    snprintf(images, sizeof images, "%s", img);
    mkdir(images, 0700);
    // A child forked while another thread held the mutex must not inherit it locked.
    pthread_atfork([] { pthread_mutex_lock(&mutex); }, [] { pthread_mutex_unlock(&mutex); },
                   [] { pthread_mutex_unlock(&mutex); });
    enabled = true;
}

void ensureInit() { pthread_once(&once, init); }

struct Lock {
    Lock() { pthread_mutex_lock(&mutex); }
    ~Lock() { pthread_mutex_unlock(&mutex); }
};

Fd* fdInfo(int fd, bool grow) {
    if (fd < 0) return nullptr;
    if (static_cast<size_t>(fd) >= fdCount) {
        if (!grow) return nullptr;
        size_t n = fdCount ? fdCount : 1024;
        while (n <= static_cast<size_t>(fd)) n *= 2;
        auto* bigger = static_cast<Fd*>(realloc(fds, n * sizeof(Fd)));
        if (!bigger) return nullptr;
        memset(bigger + fdCount, 0, (n - fdCount) * sizeof(Fd));
        fds = bigger;
        fdCount = n;
    }
    return &fds[fd];
}

Inode* trackedFile(int fd) {
    const Fd* f = fdInfo(fd, false);
    return f && f->kind == kFile ? &inodes[f->inode] : nullptr;
}

// `path` relative to the watched directory ("" for itself), or null when it is outside.
const char* insideWatched(const char* path) {
    if (strncmp(path, watched, watchedLength) != 0) return nullptr;
    if (path[watchedLength] == '\0') return path + watchedLength;
    return path[watchedLength] == '/' ? path + watchedLength + 1 : nullptr;
}

void imagePath(char* out, size_t size, ino_t ino) {
    snprintf(out, size, "%s/%llu", images, static_cast<unsigned long long>(ino));
}

bool writeAll(int fd, const char* data, size_t size, off_t at) {
    while (size > 0) {
        const ssize_t n = real.pwrite(fd, data, size, at);
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
        at += n;
    }
    return true;
}

// Copies [lo, hi) of the file open as `from` into `to`.
bool copyRange(int from, int to, off_t lo, off_t hi) {
    static char buffer[1 << 16]; // under the mutex
    while (lo < hi) {
        const size_t want = static_cast<size_t>(hi - lo) < sizeof buffer ? static_cast<size_t>(hi - lo) : sizeof buffer;
        const ssize_t n = pread(from, buffer, want, lo);
        if (n <= 0) return n == 0;
        if (!writeAll(to, buffer, static_cast<size_t>(n), lo)) return false;
        lo += n;
    }
    return true;
}

Inode& inodeFor(ino_t ino) {
    for (size_t i = 0; i < inodeCount; ++i)
        if (inodes[i].ino == ino) return inodes[i];
    auto* bigger = static_cast<Inode*>(realloc(inodes, (inodeCount + 1) * sizeof(Inode)));
    if (!bigger) abort();
    inodes = bigger;
    Inode& in = inodes[inodeCount++];
    memset(&in, 0, sizeof in);
    in.ino = ino;
    in.minSize = -1;
    return in;
}

void forget(Inode& in) {
    in.count = 0;
    in.minSize = -1;
}

void noteRange(Inode& in, off_t lo, off_t hi) {
    if (hi <= lo) return;
    if (in.count > 0 && lo <= in.ranges[in.count - 1].hi && hi >= in.ranges[in.count - 1].lo) {
        Range& last = in.ranges[in.count - 1];
        last.lo = lo < last.lo ? lo : last.lo;
        last.hi = hi > last.hi ? hi : last.hi;
        return;
    }
    if (in.count == kMaxRanges) {
        Range all = {lo, hi};
        for (size_t i = 0; i < in.count; ++i) {
            all.lo = in.ranges[i].lo < all.lo ? in.ranges[i].lo : all.lo;
            all.hi = in.ranges[i].hi > all.hi ? in.ranges[i].hi : all.hi;
        }
        in.ranges[0] = all;
        in.count = 1;
        return;
    }
    if (in.count == in.capacity) {
        const size_t n = in.capacity ? in.capacity * 2 : 16;
        auto* bigger = static_cast<Range*>(realloc(in.ranges, n * sizeof(Range)));
        if (!bigger) abort();
        in.ranges = bigger;
        in.capacity = n;
    }
    in.ranges[in.count++] = {lo, hi};
}

void noteSize(Inode& in, off_t size) {
    if (in.minSize < 0 || size < in.minSize) in.minSize = size;
}

// The durable image of `in` becomes the file's bytes now: what an fsync of it guarantees.
void syncFile(Inode& in, int fd) {
    char proc[64], img[PATH_MAX];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    imagePath(img, sizeof img, in.ino);
    struct stat st;
    const int from = real.open(proc, O_RDONLY | O_CLOEXEC);
    const int to = real.open(img, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (from >= 0 && to >= 0 && fstat(from, &st) == 0) {
        if (in.minSize >= 0) real.ftruncate(to, in.minSize);
        bool ok = true;
        for (size_t i = 0; ok && i < in.count; ++i) {
            const off_t hi = in.ranges[i].hi < st.st_size ? in.ranges[i].hi : st.st_size;
            ok = copyRange(from, to, in.ranges[i].lo, hi);
        }
        if (ok && real.ftruncate(to, st.st_size) == 0) forget(in);
    }
    if (from >= 0) real.close(from);
    if (to >= 0) real.close(to);
}

// The durable entries of directory `relDir` (relative to the watched one, "" for itself) become
// its regular files now that have an image; other directories' entries are kept. The names file
// holds "<inode>\t<relative path>" lines and is replaced atomically.
void syncDirectory(const char* relDir) {
    char names[PATH_MAX], tmp[PATH_MAX], abs[PATH_MAX];
    snprintf(names, sizeof names, "%s/names", images);
    snprintf(tmp, sizeof tmp, "%s/names.tmp", images);
    snprintf(abs, sizeof abs, "%s%s%s", watched, *relDir ? "/" : "", relDir);
    FILE* out = fopen(tmp, "we");
    if (!out) return;
    const size_t relLength = strlen(relDir);
    if (FILE* in = fopen(names, "re")) {
        char line[PATH_MAX + 32];
        while (fgets(line, sizeof line, in)) {
            const char* rel = strchr(line, '\t');
            if (!rel) continue;
            ++rel;
            const char* slash = strrchr(rel, '/');
            const size_t parentLength = slash ? static_cast<size_t>(slash - rel) : 0;
            if (parentLength == relLength && strncmp(rel, relDir, relLength) == 0) continue; // replaced below
            fputs(line, out);
        }
        fclose(in);
    }
    if (DIR* dir = opendir(abs)) {
        while (const dirent* e = readdir(dir)) {
            struct stat st;
            char img[PATH_MAX];
            if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
            imagePath(img, sizeof img, st.st_ino);
            if (access(img, F_OK) != 0) continue; // never opened through this layer: not ours to judge
            fprintf(out, "%llu\t%s%s%s\n", static_cast<unsigned long long>(st.st_ino), relDir, *relDir ? "/" : "",
                    e->d_name);
        }
        closedir(dir);
    }
    if (fclose(out) == 0) rename(tmp, names);
}

// A new file got the inode number of one whose durable name still stands (deleted, its directory
// not fsynced since): that name keeps the old bytes, under the image key "<inode>-<pid>-<n>".
void retireImage(ino_t ino) {
    static unsigned retired = 0;
    char img[PATH_MAX], names[PATH_MAX], tmp[PATH_MAX], key[32], newKey[64], line[PATH_MAX + 64];
    imagePath(img, sizeof img, ino);
    if (access(img, F_OK) != 0) return;
    snprintf(names, sizeof names, "%s/names", images);
    snprintf(tmp, sizeof tmp, "%s/names.tmp", images);
    snprintf(key, sizeof key, "%llu\t", static_cast<unsigned long long>(ino));
    snprintf(newKey, sizeof newKey, "%llu-%d-%u", static_cast<unsigned long long>(ino), getpid(), ++retired);
    FILE* in = fopen(names, "re");
    if (!in) return;
    FILE* out = fopen(tmp, "we");
    bool used = false;
    const size_t keyLength = strlen(key);
    while (out && fgets(line, sizeof line, in)) {
        const bool match = strncmp(line, key, keyLength) == 0;
        used = used || match;
        if (match) fprintf(out, "%s\t%s", newKey, line + keyLength);
        else fputs(line, out);
    }
    fclose(in);
    if (!out || fclose(out) != 0 || !used) return;
    char moved[PATH_MAX];
    snprintf(moved, sizeof moved, "%s/%s", images, newKey);
    if (rename(img, moved) == 0) rename(tmp, names);
}

bool hasDurableName(const char* rel) {
    char names[PATH_MAX], line[PATH_MAX + 32];
    snprintf(names, sizeof names, "%s/names", images);
    FILE* in = fopen(names, "re");
    if (!in) return false;
    bool found = false;
    const size_t length = strlen(rel);
    while (!found && fgets(line, sizeof line, in)) {
        const char* r = strchr(line, '\t');
        found = r && strncmp(r + 1, rel, length) == 0 && r[1 + length] == '\n';
    }
    fclose(in);
    return found;
}

void addDurableName(ino_t ino, const char* rel) {
    if (hasDurableName(rel)) return;
    char names[PATH_MAX];
    snprintf(names, sizeof names, "%s/names", images);
    if (FILE* out = fopen(names, "ae")) {
        fprintf(out, "%llu\t%s\n", static_cast<unsigned long long>(ino), rel);
        fclose(out);
    }
}

// A descriptor just opened (or created: existed == false): watched or not, and if it is a file
// this layer has not seen, its image: empty when created now, its bytes when it existed before.
void opened(int fd, int flags, bool existed) {
    if (fd < 0 || !enabled) return;
    char proc[64], path[PATH_MAX];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(proc, path, sizeof path - 1);
    struct stat st;
    Lock lock;
    Fd* f = fdInfo(fd, true);
    if (!f) return;
    *f = {};
    if (n <= 0 || fstat(fd, &st) != 0) return;
    path[n] = '\0';
    const char* rel = insideWatched(path);
    if (!rel) return;
    if (S_ISDIR(st.st_mode)) {
        f->kind = kDirectory;
        return;
    }
    if (!S_ISREG(st.st_mode)) return;
    Inode& in = inodeFor(st.st_ino);
    snprintf(in.path, sizeof in.path, "%s", path);
    char img[PATH_MAX];
    imagePath(img, sizeof img, st.st_ino);
    if (!existed || (flags & O_TMPFILE) == O_TMPFILE) {
        forget(in);
        retireImage(st.st_ino);
        const int e = real.open(img, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (e >= 0) real.close(e);
    } else if (access(img, F_OK) != 0) {
        forget(in); // from before this layer ran: durable as it is
        const int to = real.open(img, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        const int from = real.open(proc, O_RDONLY | O_CLOEXEC);
        if (from >= 0 && to >= 0) copyRange(from, to, 0, st.st_size);
        if (from >= 0) real.close(from);
        if (to >= 0) real.close(to);
        addDurableName(st.st_ino, rel);
    }
    if (existed && (flags & O_TRUNC)) noteSize(in, 0);
    f->kind = kFile;
    f->syncEach = (flags & O_DSYNC) != 0;
    f->inode = static_cast<size_t>(&in - inodes);
}

bool existsBefore(int dirfd, const char* path, int flags) {
    if (!(flags & O_CREAT) && (flags & O_TMPFILE) != O_TMPFILE) return true;
    struct stat st;
    return fstatat(dirfd, path, &st, 0) == 0;
}

void wrote(int fd, off_t lo, off_t hi) {
    if (!enabled) return;
    Lock lock;
    Inode* in = trackedFile(fd);
    if (!in) return;
    noteRange(*in, lo, hi);
    if (fds[fd].syncEach) syncFile(*in, fd);
}

// write/writev: the bytes end where the file offset is now.
void wroteAtOffset(int fd, ssize_t n) {
    if (n <= 0 || !enabled) return;
    Lock lock;
    Inode* in = trackedFile(fd);
    if (!in) return;
    const off_t end = lseek(fd, 0, SEEK_CUR);
    if (end >= n) noteRange(*in, end - n, end);
    if (fds[fd].syncEach) syncFile(*in, fd);
}

void resized(int fd, off_t length) {
    if (!enabled) return;
    Lock lock;
    Inode* in = trackedFile(fd);
    if (!in) return;
    noteSize(*in, length); // applied at the next sync, before the ranges written since
}

void synced(int fd) {
    ensureInit();
    if (!enabled) return;
    Lock lock;
    const Fd* f = fdInfo(fd, false);
    if (!f || f->kind == kNone) return;
    if (f->kind == kFile) return syncFile(inodes[f->inode], fd);
    char proc[64], path[PATH_MAX];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(proc, path, sizeof path - 1);
    if (n <= 0) return;
    path[n] = '\0';
    if (const char* rel = insideWatched(path)) syncDirectory(rel);
}

// sync()/syncfs(): every file this process changed and every watched directory.
void syncEverything(const char* relDir) {
    if (*relDir == '\0') {
        for (size_t i = 0; i < inodeCount; ++i) {
            const int fd = real.open(inodes[i].path, O_RDONLY | O_CLOEXEC);
            struct stat st;
            if (fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == inodes[i].ino) syncFile(inodes[i], fd);
            if (fd >= 0) real.close(fd);
        }
    }
    syncDirectory(relDir);
    char abs[PATH_MAX];
    snprintf(abs, sizeof abs, "%s%s%s", watched, *relDir ? "/" : "", relDir);
    DIR* dir = opendir(abs);
    if (!dir) return;
    while (const dirent* e = readdir(dir)) {
        if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char rel[PATH_MAX];
        snprintf(rel, sizeof rel, "%s%s%s", relDir, *relDir ? "/" : "", e->d_name);
        syncEverything(rel);
    }
    closedir(dir);
}

void syncedAll() {
    ensureInit();
    if (!enabled) return;
    Lock lock;
    syncEverything("");
}

void copyFd(int from, int to) {
    if (to < 0 || !enabled) return;
    Lock lock;
    Fd* target = fdInfo(to, true);
    if (!target) return;
    const Fd* source = fdInfo(from, false);
    *target = source ? *source : Fd{};
}

mode_t modeArg(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? static_cast<mode_t>(va_arg(ap, int)) : 0;
}

// Output on stdout that holds the text: what it said is out; now the power fails.
void printed(const void* data, size_t size) {
    if (!killAfter || !data || !memmem(data, size, killAfter, strlen(killAfter))) return;
    fflush(stdout);
    raise(SIGKILL);
}

int openPath(int dirfd, const char* path, int flags, mode_t mode) {
    ensureInit();
    const bool existed = !enabled || existsBefore(dirfd, path, flags);
    const int fd = dirfd == AT_FDCWD ? real.open(path, flags, mode) : real.openat(dirfd, path, flags, mode);
    opened(fd, flags, existed);
    return fd;
}

} // namespace

// The interposed functions, each under its names glibc exports (plain and 64-bit, fortified).
extern "C" {

#define NATTER_OPEN(name)                                                                                    \
    int name(const char* path, int flags, ...) {                                                             \
        va_list ap;                                                                                          \
        va_start(ap, flags);                                                                                 \
        const mode_t mode = modeArg(flags, ap);                                                              \
        va_end(ap);                                                                                          \
        return openPath(AT_FDCWD, path, flags, mode);                                                        \
    }
#define NATTER_OPENAT(name)                                                                                  \
    int name(int dirfd, const char* path, int flags, ...) {                                                  \
        va_list ap;                                                                                          \
        va_start(ap, flags);                                                                                 \
        const mode_t mode = modeArg(flags, ap);                                                              \
        va_end(ap);                                                                                          \
        return openPath(dirfd, path, flags, mode);                                                           \
    }
NATTER_OPEN(open)
NATTER_OPEN(open64)
NATTER_OPENAT(openat)
NATTER_OPENAT(openat64)
int __open_2(const char* path, int flags) { return openPath(AT_FDCWD, path, flags, 0); }
int __open64_2(const char* path, int flags) { return openPath(AT_FDCWD, path, flags, 0); }
int __openat_2(int dirfd, const char* path, int flags) { return openPath(dirfd, path, flags, 0); }
int __openat64_2(int dirfd, const char* path, int flags) { return openPath(dirfd, path, flags, 0); }
int creat(const char* path, mode_t mode) { return openPath(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode); }
int creat64(const char* path, mode_t mode) { return openPath(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode); }

int close(int fd) {
    ensureInit();
    if (enabled) {
        Lock lock;
        if (Fd* f = fdInfo(fd, false)) *f = {};
    }
    return real.close(fd);
}
int dup(int fd) {
    ensureInit();
    const int to = real.dup(fd);
    copyFd(fd, to);
    return to;
}
int dup2(int fd, int to) {
    ensureInit();
    const int r = real.dup2(fd, to);
    copyFd(fd, r);
    return r;
}
int dup3(int fd, int to, int flags) {
    ensureInit();
    const int r = real.dup3(fd, to, flags);
    copyFd(fd, r);
    return r;
}

ssize_t write(int fd, const void* data, size_t size) {
    ensureInit();
    const ssize_t n = real.write(fd, data, size);
    wroteAtOffset(fd, n);
    if (fd == STDOUT_FILENO && n > 0) printed(data, static_cast<size_t>(n));
    return n;
}
size_t fwrite(const void* data, size_t size, size_t count, FILE* stream) {
    ensureInit();
    const size_t n = real.fwrite(data, size, count, stream);
    if (stream == stdout && n > 0) printed(data, n * size);
    return n;
}
ssize_t writev(int fd, const struct iovec* iov, int count) {
    ensureInit();
    const ssize_t n = real.writev(fd, iov, count);
    wroteAtOffset(fd, n);
    return n;
}
#define NATTER_PWRITE(name)                                                                                  \
    ssize_t name(int fd, const void* data, size_t size, off_t at) {                                          \
        ensureInit();                                                                                        \
        const ssize_t n = real.pwrite(fd, data, size, at);                                                   \
        if (n > 0) wrote(fd, at, at + n);                                                                    \
        return n;                                                                                            \
    }
NATTER_PWRITE(pwrite)
NATTER_PWRITE(pwrite64)
#define NATTER_PWRITEV(name)                                                                                 \
    ssize_t name(int fd, const struct iovec* iov, int count, off_t at) {                                     \
        ensureInit();                                                                                        \
        const ssize_t n = real.pwritev(fd, iov, count, at);                                                  \
        if (n > 0) wrote(fd, at, at + n);                                                                    \
        return n;                                                                                            \
    }
NATTER_PWRITEV(pwritev)
NATTER_PWRITEV(pwritev64)
#define NATTER_PWRITEV2(name)                                                                                \
    ssize_t name(int fd, const struct iovec* iov, int count, off_t at, int flags) {                          \
        ensureInit();                                                                                        \
        const ssize_t n = real.pwritev2(fd, iov, count, at, flags);                                          \
        if (n > 0 && at >= 0) wrote(fd, at, at + n);                                                         \
        else wroteAtOffset(fd, n);                                                                           \
        return n;                                                                                            \
    }
NATTER_PWRITEV2(pwritev2)
NATTER_PWRITEV2(pwritev64v2)

#define NATTER_FTRUNCATE(name)                                                                               \
    int name(int fd, off_t length) {                                                                         \
        ensureInit();                                                                                        \
        const int r = real.ftruncate(fd, length);                                                            \
        if (r == 0) resized(fd, length);                                                                     \
        return r;                                                                                            \
    }
NATTER_FTRUNCATE(ftruncate)
NATTER_FTRUNCATE(ftruncate64)
#define NATTER_TRUNCATE(name)                                                                                \
    int name(const char* path, off_t length) {                                                               \
        const int fd = openPath(AT_FDCWD, path, O_WRONLY | O_CLOEXEC, 0);                                    \
        if (fd < 0) return real.truncate(path, length);                                                      \
        const int r = real.ftruncate(fd, length);                                                            \
        if (r == 0) resized(fd, length);                                                                     \
        close(fd);                                                                                           \
        return r;                                                                                            \
    }
NATTER_TRUNCATE(truncate)
NATTER_TRUNCATE(truncate64)
#define NATTER_FALLOCATE(name)                                                                               \
    int name(int fd, int mode, off_t at, off_t length) {                                                     \
        ensureInit();                                                                                        \
        const int r = real.fallocate(fd, mode, at, length);                                                  \
        if (r == 0) wrote(fd, at, at + length);                                                              \
        return r;                                                                                            \
    }
NATTER_FALLOCATE(fallocate)
NATTER_FALLOCATE(fallocate64)
#define NATTER_POSIX_FALLOCATE(name)                                                                         \
    int name(int fd, off_t at, off_t length) {                                                               \
        ensureInit();                                                                                        \
        const int r = real.posix_fallocate(fd, at, length);                                                  \
        if (r == 0) wrote(fd, at, at + length);                                                              \
        return r;                                                                                            \
    }
NATTER_POSIX_FALLOCATE(posix_fallocate)
NATTER_POSIX_FALLOCATE(posix_fallocate64)
ssize_t copy_file_range(int in, off_t* inAt, int out, off_t* outAt, size_t size, unsigned flags) {
    ensureInit();
    const off_t at = outAt ? *outAt : -1;
    const ssize_t n = real.copy_file_range(in, inAt, out, outAt, size, flags);
    if (n > 0 && at >= 0) wrote(out, at, at + n);
    else wroteAtOffset(out, n);
    return n;
}

int fsync(int fd) {
    synced(fd);
    return real.fsync(fd);
}
int fdatasync(int fd) {
    synced(fd);
    return real.fdatasync(fd);
}
// Only a range is written back, and without the size; treated as a sync of the whole file,
// which is more than it promises (natter never calls it).
int sync_file_range(int fd, off_t at, off_t size, unsigned flags) {
    if (flags & SYNC_FILE_RANGE_WAIT_AFTER) synced(fd);
    ensureInit();
    return real.sync_file_range(fd, at, size, flags);
}
void sync() {
    syncedAll();
    real.sync();
}
int syncfs(int fd) {
    syncedAll();
    return real.syncfs(fd);
}

} // extern "C"
