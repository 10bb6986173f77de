#!/usr/bin/env bash
# Test fixture: builds the Debian packages from this build directory's binaries with CPack (no
# second build), into BUILD/packages, replacing the packages of an earlier run.
# Usage: build_packages.sh BUILD_DIR [CPACK]
set -euo pipefail
build=$1
cpack=${2:-cpack}
rm -f "$build"/packages/*.deb
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$build/packages"
ls -l "$build"/packages/*.deb
