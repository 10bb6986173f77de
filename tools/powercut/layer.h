// The power-loss layer's parts (libnatter_powercut.so, tools/powercut/README.md): its settings,
// the real libc functions, the events the interposed functions report (state.cpp) and the
// durable images on disk (images.cpp). Only libc is used, so the layer loads into any process.
#pragma once

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/uio.h>

namespace natter::powercut::layer {

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
extern Real real;

struct Config {
    bool enabled = false;            // NATTER_POWERCUT_DIR and NATTER_POWERCUT_IMAGES are set
    char watched[PATH_MAX] = {};     // the directory, absolute, without a trailing slash
    size_t watchedLength = 0;
    char images[PATH_MAX] = {};      // where the durable images and the names file are
    const char* killAfter = nullptr; // NATTER_POWERCUT_KILL_AFTER_OUTPUT
};
extern Config config;

// state.cpp: called by the interposed functions (preload.cpp), each after the real call.
void ensureInit();
int openPath(int dirfd, const char* path, int flags, mode_t mode); // does the real open
void closed(int fd);
void copyFd(int from, int to); // dup: the copy is watched like the original
void wrote(int fd, off_t lo, off_t hi);
void wroteAtOffset(int fd, ssize_t n); // write/writev: the n bytes before the file offset
void resized(int fd, off_t length);
void synced(int fd);
void syncedAll();
void printed(const void* data, size_t size); // on stdout

// images.cpp: <images>/<inode> holds a file's durable bytes; <images>/names holds
// "<image key>\t<path relative to the watched directory>" lines, the durable names.
void imagePath(char* out, size_t size, ino_t ino);
bool copyRange(int from, int to, off_t lo, off_t hi); // [lo, hi) of the file `from` into `to`
void syncDirectory(const char* relDir);
void retireImage(ino_t ino);
void addDurableName(ino_t ino, const char* rel);

} // namespace natter::powercut::layer
