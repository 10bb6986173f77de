// natterd's config file, read line by line with Boost.Program_options' syntax ('name = value',
// '#' starts a comment) and the command line's option table, so that every error names its line.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace natter::server {

// Which line of the file set each option that took effect (the command line's win).
class ConfigFileOrigins {
public:
    void setFile(std::string file) { m_file = std::move(file); }
    void add(const std::string& option, int line, const std::string& value) { m_lines.emplace(option, std::pair{line, value}); }
    // "FILE:LINE: " of the line that set `option` (to `value`, when one is given and several
    // lines set it), or "" when no line of the file did.
    std::string locate(const std::string& option, const std::string& value = {}) const;

private:
    std::string m_file;
    std::multimap<std::string, std::pair<int, std::string>> m_lines;
};

// Adds the options of the file at `path` to vm, after those already in it (the command line's,
// which win). Returns "FILE:LINE: what is wrong" for the first bad line, or nothing.
std::optional<std::string> storeConfigFile(const std::string& path, const boost::program_options::options_description& opts,
                                           boost::program_options::variables_map& vm, ConfigFileOrigins& origins);

} // namespace natter::server
