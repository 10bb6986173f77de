// natter-torture's output: a human summary (stderr) and the --json summary (stdout).
#pragma once

#include "harness.h"

#include <ostream>

namespace natter::torture {

void printHuman(std::ostream& out, const Options& options, const Summary& s);
void printJson(std::ostream& out, const Options& options, const Summary& s);

} // namespace natter::torture
