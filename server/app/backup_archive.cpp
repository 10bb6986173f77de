#include "app/backup_archive.h"

#include <boost/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

namespace natter::server::backup {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using protocol::ErrorCode;
using protocol::makeError;

constexpr std::size_t kBlock = 512;
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::uint64_t kMaxMemberSize = 077777777777ULL; // 11 octal digits: 8 GiB - 1
constexpr std::uint64_t kMaxManifestSize = 64ULL * 1024 * 1024;
using Block = std::array<char, kBlock>;

protocol::Error fail(std::string message) { return makeError(ErrorCode::Internal, std::move(message)); }

// Streaming SHA-256 (OpenSSL EVP), hex out.
class Sha256 {
public:
    Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr); }
    void update(const char* data, std::size_t n) { EVP_DigestUpdate(ctx_.get(), data, n); }
    std::string hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(ctx_.get(), digest, &len);
        std::string out;
        char byte[3];
        for (unsigned int i = 0; i < len; ++i) {
            std::snprintf(byte, sizeof byte, "%02x", digest[i]);
            out += byte;
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

// width - 1 octal digits, zero padded, then NUL (callers keep value below 8^(width-1)).
void putOctal(char* field, std::size_t width, std::uint64_t value) {
    field[width - 1] = '\0';
    for (std::size_t i = width - 1; i-- > 0; value /= 8) field[i] = static_cast<char>('0' + value % 8);
}

unsigned checksumOf(const Block& header) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i)
        sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
    return sum;
}

Block makeHeader(const std::string& name, std::uint64_t size, std::int64_t mtimeSeconds) {
    Block h{};
    std::memcpy(h.data(), name.data(), name.size());
    putOctal(h.data() + 100, 8, 0600);
    putOctal(h.data() + 108, 8, 0);
    putOctal(h.data() + 116, 8, 0);
    putOctal(h.data() + 124, 12, size);
    putOctal(h.data() + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(mtimeSeconds, 0)));
    h[156] = '0';
    std::memcpy(h.data() + 257, "ustar", 6);
    std::memcpy(h.data() + 263, "00", 2);
    std::snprintf(h.data() + 148, 8, "%06o", checksumOf(h));
    h[155] = ' ';
    return h;
}

bool parseOctal(const char* field, std::size_t width, std::uint64_t& out) {
    out = 0;
    std::size_t i = 0;
    while (i < width && field[i] == ' ') ++i;
    bool any = false;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
        out = out * 8 + static_cast<std::uint64_t>(field[i] - '0');
        any = true;
    }
    for (; i < width; ++i)
        if (field[i] != '\0' && field[i] != ' ') return false;
    return any;
}

std::size_t padding(std::uint64_t size) { return static_cast<std::size_t>((kBlock - size % kBlock) % kBlock); }

std::string manifestText(const std::vector<Member>& members, std::int64_t createdAtMs) {
    json::array files;
    for (const auto& m : members) files.push_back(json::object{{"name", m.name}, {"size", m.size}, {"sha256", m.sha256}});
    return json::serialize(json::object{{"format", kFormat},
                                        {"version", kFormatVersion},
                                        {"created_at", createdAtMs},
                                        {"files", std::move(files)}}) +
           "\n";
}

// The manifest's member list, or why it is not a natterd backup manifest.
protocol::Result<std::vector<Member>> parseManifest(const std::string& text) {
    std::error_code ec;
    const auto value = json::parse(text, ec);
    const auto* root = value.if_object();
    const auto* format = root ? root->if_contains("format") : nullptr;
    if (ec || !format || !format->is_string() || format->get_string() != kFormat)
        return fail("its MANIFEST.json is not a natterd backup manifest");
    const auto* version = root->if_contains("version");
    if (!version || !version->is_int64() || version->get_int64() != kFormatVersion)
        return fail("it is a natterd backup of a format version this natterd does not read");
    const auto* files = root->if_contains("files");
    if (!files || !files->is_array()) return fail("its MANIFEST.json lists no files");
    std::vector<Member> out;
    for (const auto& f : files->get_array()) {
        const auto* o = f.if_object();
        const auto* name = o ? o->if_contains("name") : nullptr;
        const auto* size = o ? o->if_contains("size") : nullptr;
        const auto* sha = o ? o->if_contains("sha256") : nullptr;
        if (!name || !name->is_string() || !size || !(size->is_uint64() || size->is_int64()) || !sha ||
            !sha->is_string())
            return fail("its MANIFEST.json has an entry without name, size and sha256");
        out.push_back({std::string(name->get_string()), size->to_number<std::uint64_t>(),
                       std::string(sha->get_string())});
    }
    return out;
}

} // namespace

bool isSafeMemberName(std::string_view name) {
    if (name.empty() || name.size() >= 100 || name.front() == '/') return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto end = std::min(name.find('/', start), name.size());
        const auto part = name.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 127 && c != '\\'; });
}

ArchiveWriter::ArchiveWriter(const fs::path& file) : file_(file), out_(file, std::ios::binary | std::ios::trunc) {}

protocol::Result<void> ArchiveWriter::add(const std::string& name, const fs::path& source, bool* skipped) {
    if (skipped) *skipped = false;
    if (!isSafeMemberName(name)) return fail("cannot store '" + name + "' in a backup (name too long or unsafe)");
    std::ifstream in(source, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (skipped && !fs::exists(source, ec)) {
            *skipped = true;
            return {};
        }
        return fail("cannot read " + source.string());
    }
    std::error_code ec;
    const std::uint64_t size = fs::file_size(source, ec);
    if (ec) return fail("cannot read " + source.string() + ": " + ec.message());
    if (size > kMaxMemberSize) return fail(source.string() + " is larger than a backup member may be (8 GiB)");
    const auto header = makeHeader(name, size, 0);
    out_.write(header.data(), kBlock);
    Sha256 sha;
    std::vector<char> buffer(kChunk);
    std::uint64_t left = size;
    while (left > 0 && in) {
        const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(left, kChunk));
        in.read(buffer.data(), want);
        const auto got = in.gcount();
        if (got <= 0) break;
        sha.update(buffer.data(), static_cast<std::size_t>(got));
        out_.write(buffer.data(), got);
        left -= static_cast<std::uint64_t>(got);
    }
    // Files in the data dir are written whole and renamed into place, never changed in place.
    if (left != 0) return fail(source.string() + " changed size while it was being copied");
    const Block zeros{};
    out_.write(zeros.data(), static_cast<std::streamsize>(padding(size)));
    if (!out_) return fail("cannot write " + file_.string());
    members_.push_back({name, size, sha.hex()});
    return {};
}

protocol::Result<void> ArchiveWriter::finish(std::int64_t createdAtMs) {
    const std::string manifest = manifestText(members_, createdAtMs);
    const auto header = makeHeader(std::string(kManifestName), manifest.size(), createdAtMs / 1000);
    out_.write(header.data(), kBlock);
    out_.write(manifest.data(), static_cast<std::streamsize>(manifest.size()));
    const Block zeros{};
    out_.write(zeros.data(), static_cast<std::streamsize>(padding(manifest.size())));
    out_.write(zeros.data(), kBlock);
    out_.write(zeros.data(), kBlock);
    out_.flush();
    if (!out_) return fail("cannot write " + file_.string());
    out_.close();
    if (out_.fail()) return fail("cannot write " + file_.string());
    return {};
}

protocol::Result<std::vector<Member>> readArchive(const fs::path& file, const fs::path& extractTo) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail("cannot open " + file.string());
    std::vector<Member> seen;
    std::optional<std::string> manifest;
    std::vector<char> buffer(kChunk);
    for (;;) {
        Block h{};
        in.read(h.data(), kBlock);
        if (in.gcount() != static_cast<std::streamsize>(kBlock))
            return fail(seen.empty() && !manifest ? "it is not a natterd backup (too short to be one)"
                                                  : "it is truncated (it ends inside the archive)");
        if (std::all_of(h.begin(), h.end(), [](char c) { return c == 0; })) break;
        std::uint64_t storedSum = 0, size = 0;
        if (std::memcmp(h.data() + 257, "ustar", 5) != 0 || !parseOctal(h.data() + 148, 8, storedSum) ||
            storedSum != checksumOf(h) || !parseOctal(h.data() + 124, 12, size))
            return fail(seen.empty() && !manifest ? "it is not a natterd backup (not a tar archive)"
                                                  : "it is damaged (a header's checksum does not match)");
        if (manifest) return fail("it is damaged (members follow the manifest)");
        const std::string name(h.data(), strnlen(h.data(), 100));
        if ((h[156] != '0' && h[156] != '\0') || h[345] != '\0' || !isSafeMemberName(name))
            return fail("it is not a natterd backup (unexpected member '" + name + "')");
        const bool isManifest = name == kManifestName;
        if (isManifest && size > kMaxManifestSize) return fail("it is damaged (its manifest is too large)");
        std::ofstream out;
        if (!isManifest && !extractTo.empty()) {
            std::error_code ec;
            fs::create_directories((extractTo / name).parent_path(), ec);
            out.open(extractTo / name, std::ios::binary | std::ios::trunc);
            if (ec || !out) return fail("cannot write " + (extractTo / name).string());
        }
        Sha256 sha;
        std::string text;
        std::uint64_t left = size;
        while (left > 0) {
            const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(left, kChunk));
            in.read(buffer.data(), want);
            if (in.gcount() != want) return fail("it is truncated (member '" + name + "' is cut short)");
            if (isManifest) text.append(buffer.data(), static_cast<std::size_t>(want));
            else sha.update(buffer.data(), static_cast<std::size_t>(want));
            if (out.is_open()) out.write(buffer.data(), want);
            left -= static_cast<std::uint64_t>(want);
        }
        in.ignore(static_cast<std::streamsize>(padding(size)));
        if (out.is_open()) {
            out.close();
            if (out.fail()) return fail("cannot write " + (extractTo / name).string());
        }
        if (isManifest) manifest = std::move(text);
        else seen.push_back({name, size, sha.hex()});
    }
    if (!manifest) return fail("it is not a natterd backup (no MANIFEST.json)");
    auto listed = parseManifest(*manifest);
    if (!listed) return listed.error();
    if (listed->size() != seen.size()) return fail("it is damaged (the manifest lists other files than it holds)");
    for (std::size_t i = 0; i < seen.size(); ++i) {
        const auto& want = (*listed)[i];
        if (want.name != seen[i].name || want.size != seen[i].size)
            return fail("it is damaged (the manifest lists other files than it holds)");
        if (want.sha256 != seen[i].sha256) return fail("it is damaged ('" + want.name + "' fails its checksum)");
    }
    return seen;
}

} // namespace natter::server::backup
