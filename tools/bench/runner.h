// natter-bench's top level: parses the command line, runs each requested scenario once per
// size (each against a fresh natterd when --natterd is given) and prints the results.
#pragma once

namespace natter::bench {

// Exit code: 0 if every run completed and lost nothing, 1 otherwise, 2 for usage errors.
int runMain(int argc, const char* const argv[]);

} // namespace natter::bench
