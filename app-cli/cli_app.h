// The natter program: parses the command line, finds where the profile is (its socket or
// this process), runs the command and maps the outcome to the documented exit code.
#pragma once

#include "client/core/result.h"

#include <string>
#include <vector>

namespace natter::cli {

// Runs natter with these arguments (without argv[0]); needs a QCoreApplication.
int runCli(const std::vector<std::string>& args);
int exitCodeFor(const client::ClientError& error);

} // namespace natter::cli
