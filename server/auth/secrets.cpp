#include "auth/secrets.h"

#include "protocol/base64.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
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

protocol::Result<std::string> loadOrCreateKey(const std::filesystem::path& path) {
    constexpr std::size_t kKeyBytes = 32;
    if (std::ifstream in{path, std::ios::binary}) {
        std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (key.size() != kKeyBytes)
            return protocol::makeError(protocol::ErrorCode::Internal,
                                       "key file " + path.string() + " is damaged (expected 32 bytes)");
        return key;
    }
    const std::string key = randomBytes(kKeyBytes);
    const auto tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return protocol::makeError(protocol::ErrorCode::Internal, "cannot create " + tmp);
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || std::rename(tmp.c_str(), path.c_str()) != 0)
        return protocol::makeError(protocol::ErrorCode::Internal, "cannot write " + path.string());
    return key;
}

} // namespace natter::server::secrets
