// A natterd backup is one POSIX tar (ustar) file: the members, then MANIFEST.json naming every
// member with its size and SHA-256. Plain tar so operators can inspect it with `tar tvf`; the
// manifest is what lets restore refuse a truncated, damaged or foreign file before writing anything.
#pragma once

#include "protocol/error.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace natter::server::backup {

inline constexpr std::string_view kManifestName = "MANIFEST.json";
inline constexpr std::string_view kFormat = "natterd-backup";
inline constexpr int kFormatVersion = 1;

struct Member {
    std::string name; // relative path inside the data dir, '/' separated
    std::uint64_t size = 0;
    std::string sha256; // lowercase hex
};

// True for names restore may create: relative, no "..", no empty parts, printable ASCII.
bool isSafeMemberName(std::string_view name);

// Writes members one after another; finish() appends the manifest and the end-of-archive blocks.
class ArchiveWriter {
public:
    explicit ArchiveWriter(const std::filesystem::path& file);
    bool ok() const { return out_.good(); }
    // Copies `source` as member `name`. A source that vanished before it was opened is skipped
    // (false in *skipped) rather than an error: a media blob the sweeper removed meanwhile.
    protocol::Result<void> add(const std::string& name, const std::filesystem::path& source, bool* skipped = nullptr);
    protocol::Result<void> finish(std::int64_t createdAtMs);
    const std::vector<Member>& members() const { return members_; }

private:
    std::filesystem::path file_;
    std::ofstream out_;
    std::vector<Member> members_;
};

// Reads and checks a whole archive: every ustar header, every member's checksum against the
// manifest, and that the manifest names exactly the members present. With `extractTo`, each
// member (not the manifest) is also written below that directory as it is read; callers verify
// first (extractTo empty) so that a bad file changes nothing.
protocol::Result<std::vector<Member>> readArchive(const std::filesystem::path& file,
                                                  const std::filesystem::path& extractTo = {});

} // namespace natter::server::backup
