// natter-client-bench: client-side benchmarks (see tools/bench-client/README.md).
#include "scenarios.h"

int main(int argc, char** argv) { return natter::benchclient::runMain(argc, argv); }
