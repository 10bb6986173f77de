// What the layer knows about this process's descriptors and the watched files it changed since
// their last sync, and how each event (open, write, truncate, fsync, dup, close) updates it.
// One mutex guards it all; the durable images themselves are images.cpp's.
#include "layer.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace natter::powercut::layer {

Real real;
Config config;

namespace {

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

pthread_once_t once = PTHREAD_ONCE_INIT;
pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
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
    if (const char* text = getenv("NATTER_POWERCUT_KILL_AFTER_OUTPUT"); text && *text) config.killAfter = text;
    const char* dir = getenv("NATTER_POWERCUT_DIR");
    const char* img = getenv("NATTER_POWERCUT_IMAGES");
    if (!dir || !*dir || !img || !*img) return;
    Config& c = config;
    if (!realpath(dir, c.watched)) snprintf(c.watched, sizeof c.watched, "%s", dir);
    c.watchedLength = strlen(c.watched);
    while (c.watchedLength > 1 && c.watched[c.watchedLength - 1] == '/') c.watched[--c.watchedLength] = '\0';
    snprintf(c.images, sizeof c.images, "%s", img);
    mkdir(c.images, 0700);
    // A child forked while another thread held the mutex must not inherit it locked.
    pthread_atfork([] { pthread_mutex_lock(&mutex); }, [] { pthread_mutex_unlock(&mutex); },
                   [] { pthread_mutex_unlock(&mutex); });
    c.enabled = true;
}

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


const char* insideWatched(const char* path) {
    const size_t n = config.watchedLength;
    if (strncmp(path, config.watched, n) != 0) return nullptr;
    if (path[n] == '\0') return path + n;
    return path[n] == '/' ? path + n + 1 : nullptr;
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

// A descriptor just opened (or created: existed == false): watched or not, and if it is a file
// this layer has not seen, its image: empty when created now, its bytes when it existed before.
void opened(int fd, int flags, bool existed) {
    if (fd < 0 || !config.enabled) return;
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

} // namespace

void ensureInit() { pthread_once(&once, init); }

void closed(int fd) {
    if (!config.enabled) return;
    Lock lock;
    if (Fd* f = fdInfo(fd, false)) *f = {};
}

void wrote(int fd, off_t lo, off_t hi) {
    if (!config.enabled) return;
    Lock lock;
    Inode* in = trackedFile(fd);
    if (!in) return;
    noteRange(*in, lo, hi);
    if (fds[fd].syncEach) syncFile(*in, fd);
}

// write/writev: the bytes end where the file offset is now.
void wroteAtOffset(int fd, ssize_t n) {
    if (n <= 0 || !config.enabled) return;
    Lock lock;
    Inode* in = trackedFile(fd);
    if (!in) return;
    const off_t end = lseek(fd, 0, SEEK_CUR);
    if (end >= n) noteRange(*in, end - n, end);
    if (fds[fd].syncEach) syncFile(*in, fd);
}

void resized(int fd, off_t length) {
    if (!config.enabled) return;
    Lock lock;
    Inode* in = trackedFile(fd);
    if (!in) return;
    noteSize(*in, length); // applied at the next sync, before the ranges written since
}

void synced(int fd) {
    ensureInit();
    if (!config.enabled) return;
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

namespace {

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
    snprintf(abs, sizeof abs, "%s%s%s", config.watched, *relDir ? "/" : "", relDir);
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

} // namespace

void syncedAll() {
    ensureInit();
    if (!config.enabled) return;
    Lock lock;
    syncEverything("");
}

void copyFd(int from, int to) {
    if (to < 0 || !config.enabled) return;
    Lock lock;
    Fd* target = fdInfo(to, true);
    if (!target) return;
    const Fd* source = fdInfo(from, false);
    *target = source ? *source : Fd{};
}

// Output on stdout that holds the text: what it said is out; now the power fails.
void printed(const void* data, size_t size) {
    const char* text = config.killAfter;
    if (!text || !data || !memmem(data, size, text, strlen(text))) return;
    fflush(stdout);
    raise(SIGKILL);
}

int openPath(int dirfd, const char* path, int flags, mode_t mode) {
    ensureInit();
    const bool existed = !config.enabled || existsBefore(dirfd, path, flags);
    if (config.enabled && existed && (flags & O_TRUNC)) {
        // Seen before the truncation: a file from before the layer ran is durable with its bytes.
        const int before = real.openat(dirfd, path, O_RDONLY | O_CLOEXEC, 0);
        opened(before, O_RDONLY, true);
        if (before >= 0) {
            closed(before);
            real.close(before);
        }
    }
    const int fd = dirfd == AT_FDCWD ? real.open(path, flags, mode) : real.openat(dirfd, path, flags, mode);
    opened(fd, flags, existed);
    return fd;
}

} // namespace natter::powercut::layer
