#include "config/config_file.h"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/parsers.hpp>

#include <fstream>
#include <string_view>
#include <vector>

namespace natter::server {
namespace po = boost::program_options;

namespace {

constexpr std::size_t kMaxLineBytes = 64 * 1024;
constexpr int kMaxLines = 100000;

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t\r") - first + 1));
}

// Options that choose what natterd does rather than how the server runs.
bool commandLineOnly(const std::string& name) {
    return name == "config" || name == "check-config" || name == "help" || name == "version";
}

} // namespace

std::string ConfigFileOrigins::locate(const std::string& option, const std::string& value) const {
    const auto [first, last] = m_lines.equal_range(option);
    if (first == last) return {};
    auto found = first;
    for (auto it = first; it != last; ++it)
        if (!value.empty() && it->second.second == value) found = it;
    return m_file + ":" + std::to_string(found->second.first) + ": ";
}

std::optional<std::string> storeConfigFile(const std::string& path, const po::options_description& opts,
                                           po::variables_map& vm, ConfigFileOrigins& origins) {
    std::ifstream in(path);
    if (!in) return "cannot read config file '" + path + "'";
    origins.setFile(path);
    std::map<std::string, int> setOn; // non-repeatable option -> the line that set it
    std::string text;
    int line = 0;
    while (std::getline(in, text)) {
        const std::string where = path + ":" + std::to_string(++line) + ": ";
        if (line > kMaxLines || text.size() > kMaxLineBytes)
            return where + "too long (at most " + std::to_string(kMaxLines) + " lines of " +
                   std::to_string(kMaxLineBytes) + " bytes)";
        const std::string content = trim(std::string_view(text).substr(0, text.find('#')));
        if (content.empty()) continue;
        if (content.front() == '[') return where + "sections are not used: write each option as 'name = value'";
        const auto equals = content.find('=');
        if (equals == std::string::npos) return where + "expected 'name = value', got '" + content.substr(0, 80) + "'";
        const std::string name = trim(std::string_view(content).substr(0, equals));
        const std::string value = trim(std::string_view(content).substr(equals + 1));
        const po::option_description* option = name.empty() ? nullptr : opts.find_nothrow(name, false);
        if (!option) return where + "unknown option '" + name.substr(0, 80) + "'";
        if (commandLineOnly(name)) return where + "'" + name + "' belongs on the command line, not in a config file";
        const bool repeatable = option->semantic()->is_composing();
        if (!repeatable) {
            if (const auto earlier = setOn.find(name); earlier != setOn.end())
                return where + "'" + name + "' is already set on line " + std::to_string(earlier->second);
            setOn.emplace(name, line);
        }
        const bool commandLineWins = !repeatable && vm.count(name) && !vm[name].defaulted();
        po::parsed_options parsed(&opts);
        parsed.options.emplace_back(name, std::vector<std::string>{value});
        parsed.options.back().original_tokens = {name, value};
        try {
            po::store(parsed, vm);
        } catch (const po::error& e) {
            return where + e.what();
        }
        if (!commandLineWins) origins.add(name, line, value);
    }
    return std::nullopt;
}

} // namespace natter::server
