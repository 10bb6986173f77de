// Rebuilds a directory from the durable images libnatter_powercut.so kept (preload.cpp): the
// names file maps each durable name to an inode, and <images>/<inode> holds that file's bytes.
#include "durable_images.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace natter::powercut {

namespace fs = std::filesystem;

namespace {

bool readFile(const fs::path& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    out = buffer.str();
    return true;
}

bool writeFile(const fs::path& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    return static_cast<bool>(out.flush());
}

std::uint64_t inodeOf(const fs::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

std::uint64_t bytesDiffering(const std::string& now, const std::string& durable) {
    const std::size_t common = std::min(now.size(), durable.size());
    std::uint64_t n = std::max(now.size(), durable.size()) - common;
    for (std::size_t i = 0; i < common; ++i) n += now[i] != durable[i];
    return n;
}

} // namespace

PowerCut powerCut(const fs::path& dir, const fs::path& images) {
    PowerCut cut;
    std::map<std::string, std::string> durable; // relative path -> image key (its inode, or inode-pid-n)
    if (std::ifstream names(images / "names"); names) {
        std::string line;
        while (std::getline(names, line)) {
            const auto tab = line.find('\t');
            if (tab != std::string::npos) durable[line.substr(tab + 1)] = line.substr(0, tab);
        }
    }
    std::set<std::uint64_t> imaged;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(images, ec))
        if (e.path().filename().string().find_first_not_of("0123456789") == std::string::npos)
            imaged.insert(std::strtoull(e.path().filename().c_str(), nullptr, 10));
    if (ec) return cut.error = "cannot read " + images.string() + ": " + ec.message(), cut;

    // Every file of the directory that the layer knows goes; the durable ones come back below.
    std::map<std::string, std::string> before; // relative path -> bytes, for bytes_discarded
    std::vector<fs::path> known;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        const std::string rel = fs::relative(it->path(), dir).string();
        if (!imaged.count(inodeOf(it->path())) && !durable.count(rel)) continue;
        if (!readFile(it->path(), before[rel])) return cut.error = "cannot read " + it->path().string(), cut;
        known.push_back(it->path());
    }
    if (ec) return cut.error = "cannot read " + dir.string() + ": " + ec.message(), cut;
    for (const auto& path : known) fs::remove(path, ec);

    const fs::path next = images.string() + ".next";
    fs::remove_all(next, ec);
    fs::create_directories(next, ec);
    std::ofstream names(next / "names", std::ios::trunc);
    for (const auto& [rel, key] : durable) {
        std::string bytes;
        if (!readFile(images / key, bytes)) return cut.error = "no durable image of " + rel + " (" + key + ")", cut;
        const fs::path target = dir / rel;
        fs::create_directories(target.parent_path(), ec);
        if (!writeFile(target, bytes)) return cut.error = "cannot write " + target.string(), cut;
        fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write, ec);
        const std::uint64_t now = inodeOf(target);
        if (!writeFile(next / std::to_string(now), bytes)) return cut.error = "cannot write the new image", cut;
        names << now << '\t' << rel << '\n';
        ++cut.files_restored;
        if (const auto b = before.find(rel); b != before.end()) {
            cut.bytes_discarded += bytesDiffering(b->second, bytes);
            before.erase(b);
        }
    }
    if (!names.flush()) return cut.error = "cannot write " + (next / "names").string(), cut;
    for (const auto& [rel, bytes] : before) {
        ++cut.files_removed;
        cut.removed.push_back(rel);
        cut.bytes_discarded += bytes.size();
    }
    fs::remove_all(images, ec);
    fs::rename(next, images, ec);
    if (ec) cut.error = "cannot replace " + images.string() + ": " + ec.message();
    return cut;
}

std::vector<std::pair<std::string, std::string>> layerEnvironment(const fs::path& library, const fs::path& dir,
                                                                  const fs::path& images) {
    std::string preload = fs::absolute(library).string();
    if (const char* existing = std::getenv("LD_PRELOAD"); existing && *existing) preload += std::string(":") + existing;
    return {{"LD_PRELOAD", preload},
            {"NATTER_POWERCUT_DIR", fs::absolute(dir).string()},
            {"NATTER_POWERCUT_IMAGES", fs::absolute(images).string()}};
}

} // namespace natter::powercut
