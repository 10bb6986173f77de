// The durable images on disk: a file's bytes as of its last fsync, and the durable names (each
// directory's regular files as of its last fsync). Runs under the layer's mutex (state.cpp).
#include "layer.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace natter::powercut::layer {

void imagePath(char* out, size_t size, ino_t ino) {
    snprintf(out, size, "%s/%llu", config.images, static_cast<unsigned long long>(ino));
}

namespace {

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

} // namespace

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

// The durable entries of directory `relDir` (relative to the watched one, "" for itself) become
// its regular files now that have an image; other directories' entries are kept. The names file
// is replaced atomically.
void syncDirectory(const char* relDir) {
    char names[PATH_MAX], tmp[PATH_MAX], abs[PATH_MAX];
    snprintf(names, sizeof names, "%s/names", config.images);
    snprintf(tmp, sizeof tmp, "%s/names.tmp", config.images);
    snprintf(abs, sizeof abs, "%s%s%s", config.watched, *relDir ? "/" : "", relDir);
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
    snprintf(names, sizeof names, "%s/names", config.images);
    snprintf(tmp, sizeof tmp, "%s/names.tmp", config.images);
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
    snprintf(moved, sizeof moved, "%s/%s", config.images, newKey);
    if (rename(img, moved) == 0) rename(tmp, names);
}

namespace {

bool hasDurableName(const char* rel) {
    char names[PATH_MAX], line[PATH_MAX + 32];
    snprintf(names, sizeof names, "%s/names", config.images);
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

} // namespace

void addDurableName(ino_t ino, const char* rel) {
    if (hasDurableName(rel)) return;
    char names[PATH_MAX];
    snprintf(names, sizeof names, "%s/names", config.images);
    if (FILE* out = fopen(names, "ae")) {
        fprintf(out, "%llu\t%s\n", static_cast<unsigned long long>(ino), rel);
        fclose(out);
    }
}

} // namespace natter::powercut::layer
