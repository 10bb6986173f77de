// natterd: the Natter server. Parses the command line and runs ServerApp.
#include "app/server_app.h"
#include "config/server_config.h"
#include "logging/loggers.h"

#include <iostream>

int main(int argc, char* argv[]) {
    auto parsed = natter::server::parseCommandLine(argc, argv);
    if (!parsed.config) {
        (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.output;
        return parsed.exit_code;
    }
    if (!natter::server::log::configure(parsed.config->log_level)) {
        std::cerr << "natterd: unknown --log-level '" << parsed.config->log_level << "'\n";
        return 2;
    }
    natter::server::ServerApp app(std::move(*parsed.config));
    return app.run();
}
