#include "auth/secrets.h"

#include "protocol/base64.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace natter::server::secrets {

std::string randomBytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("RAND_bytes failed"); // no entropy: nothing sensible to do
    return out;
}

std::string base64UrlEncode(std::string_view bytes) {
    std::string out = protocol::base64::encode(bytes);
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (auto& c : out) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return out;
}

bool base64UrlDecode(std::string_view text, std::string& out) {
    std::string std(text);
    for (auto& c : std) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (c == '+' || c == '/' || c == '=') return false;
    }
    while (std.size() % 4 != 0) std.push_back('=');
    auto decoded = protocol::base64::decode(std);
    if (!decoded) return false;
    out = std::move(*decoded);
    return true;
}

std::string randomToken(std::size_t n) { return base64UrlEncode(randomBytes(n)); }

std::string randomDigits(std::size_t digits) {
    std::string out;
    while (out.size() < digits) {
        const auto byte = static_cast<unsigned char>(randomBytes(1)[0]);
        if (byte >= 250) continue; // reject to keep the digits uniform
        out.push_back(static_cast<char>('0' + byte % 10));
    }
    return out;
}

std::string sha256(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<char*>(md), len);
}

std::string hmacSha256(std::string_view key, std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
    return std::string(reinterpret_cast<char*>(md), len);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

constexpr std::size_t kKeyBytes = 32;

protocol::Error keyError(std::string what) { return protocol::makeError(protocol::ErrorCode::Internal, std::move(what)); }

// The key at `path`, an error, or nullopt when there is no such file.
std::optional<protocol::Result<std::string>> readKey(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        return keyError("cannot read key file " + path.string() + ": " + std::strerror(errno));
    }
    struct stat st {};
    const bool statted = ::fstat(fd, &st) == 0;
    std::string key(kKeyBytes + 1, '\0');
    const ssize_t n = statted ? ::read(fd, key.data(), key.size()) : -1;
    ::close(fd);
    if (!statted || n < 0) return keyError("cannot read key file " + path.string());
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return keyError("key file " + path.string() + " is accessible to group or others (mode " + mode +
                        "); make it private with 'chmod 600 " + path.string() +
                        "' (and replace the key if someone else may have read it)");
    }
    if (static_cast<std::size_t>(n) != kKeyBytes)
        return keyError("key file " + path.string() + " is damaged (expected 32 bytes)");
    key.resize(kKeyBytes);
    return key;
}

} // namespace

bool syncDirectory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}

protocol::Result<std::string> loadKey(const std::filesystem::path& path) {
    if (auto key = readKey(path)) return std::move(*key);
    return keyError("key file " + path.string() + " does not exist");
}

// Several nodes may start at once on one shared key file: the key is written to a private
// temporary file and linked into place, so exactly one node's key wins and the others read it.
protocol::Result<std::string> loadOrCreateKey(const std::filesystem::path& path) {
    if (auto key = readKey(path)) return std::move(*key);
    const std::string key = randomBytes(kKeyBytes);
    const auto tmp = path.string() + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return keyError("cannot create " + tmp);
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    const bool linked = written && ::link(tmp.c_str(), path.c_str()) == 0;
    const int linkErrno = errno;
    ::unlink(tmp.c_str());
    if (linked && !syncDirectory(path.parent_path())) return keyError("cannot fsync the directory of " + path.string());
    if (linked) return key;
    if (written && linkErrno == EEXIST) return loadKey(path);
    return keyError("cannot write " + path.string());
}

} // namespace natter::server::secrets
