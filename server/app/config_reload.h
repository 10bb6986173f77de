// What a SIGHUP may change: every option of ServerConfig compared between the configuration
// natterd runs with and the one read again, split into the limits it takes while serving and
// the options that only take effect at the next start. ServerApp hands the taken limits to the
// services that enforce them.
#pragma once

#include "config/server_config.h"

#include <string>
#include <vector>

namespace natter::server {

struct ConfigChanges {
    std::vector<std::string> taken;   // "message-rate 20": limits copied into the running configuration
    std::vector<std::string> restart; // names of changed options that need a restart (values not shown: some are secrets)
};

// Copies the reloadable limits that differ from `next` into `running` and lists every changed
// option. `running` is the configuration as read (not derived values such as the connection cap).
// log-level is left to the caller (it has its own reload).
ConfigChanges takeReloadableLimits(ServerConfig& running, const ServerConfig& next);

} // namespace natter::server
