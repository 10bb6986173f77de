// natter-torture: SIGKILL natterd under load N times and prove nothing acknowledged was lost
// (see tools/torture/README.md). Exit 0: every check passed; 1: a check failed; 2: usage.
#include "harness.h"
#include "options.h"
#include "report.h"

#include <iostream>

int main(int argc, char* argv[]) {
    using namespace natter::torture;
    const auto parsed = parseOptions(argc, argv);
    if (!parsed.options) {
        (parsed.exit_code ? std::cerr : std::cout) << parsed.output;
        return parsed.exit_code;
    }
    const Options& o = *parsed.options;
    const Summary s = runTorture(o);
    printHuman(std::cerr, o, s);
    if (o.json) printJson(std::cout, o, s);
    return s.ok() ? 0 : 1;
}
