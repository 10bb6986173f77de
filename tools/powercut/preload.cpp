// libnatter_powercut.so, an LD_PRELOAD layer for power-loss tests (tools/powercut/README.md): for
// files under $NATTER_POWERCUT_DIR it keeps, in $NATTER_POWERCUT_IMAGES, each file's bytes as of its
// last fsync and the directory entries as of their directory's last fsync, so that a power cut
// (SIGKILL, then durable_images.h's powerCut) can drop every write that was never made durable.
// With $NATTER_POWERCUT_KILL_AFTER_OUTPUT set, the process kills itself with SIGKILL right after
// it wrote that text to stdout: the power fails the moment it reported something as done.
// This file holds the interposed functions; they call the real ones and report to state.cpp.
#include "layer.h"

#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

using namespace natter::powercut::layer;

namespace {

mode_t modeArg(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? static_cast<mode_t>(va_arg(ap, int)) : 0;
}

} // namespace


// The interposed functions, each under its names glibc exports (plain and 64-bit, fortified).
// Only these are exported (the rest is built with hidden visibility).
#pragma GCC visibility push(default)
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
    closed(fd);
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
#pragma GCC visibility pop
