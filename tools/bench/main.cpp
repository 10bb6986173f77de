// natter-bench: load generator for natterd (see tools/bench/README.md and BENCHMARKS.md).
#include "runner.h"

int main(int argc, char* argv[]) { return natter::bench::runMain(argc, argv); }
