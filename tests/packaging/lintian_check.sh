#!/usr/bin/env bash
# Runs lintian on the built natterd, natter and natter-desktop packages: any error fails, and so
# does any warning not accepted (with its reason) in packaging/lintian-accepted-warnings.
# Usage: lintian_check.sh PACKAGES_DIR ACCEPTED_WARNINGS_FILE
set -uo pipefail
dir=$1
accepted=$2
command -v lintian >/dev/null || { echo "FAIL: lintian is missing (scripts/install-deps.sh installs it)"; exit 1; }
debs=()
for package in natterd natter natter-desktop; do
  found=("$dir/${package}_"*.deb)
  [ -f "${found[0]}" ] && [ ${#found[@]} -eq 1 ] || { echo "FAIL: expected one ${package}_*.deb in $dir"; exit 1; }
  debs+=("${found[0]}")
done

output=$(lintian --no-cfg --fail-on none "${debs[@]}" 2>&1)
echo "$output"
status=0
if grep -q '^E: ' <<<"$output"; then
  echo "FAIL: lintian reports errors"
  status=1
fi
while read -r tag; do
  if ! grep -qxF "$tag" <(grep -v '^#' "$accepted"); then
    echo "FAIL: lintian warning '$tag' is not accepted in $accepted"
    status=1
  fi
done < <(sed -n 's/^W: [^:]*: \([a-z0-9.+-]*\).*/\1/p' <<<"$output" | sort -u)
[ $status -eq 0 ] && echo "lintian: no errors, only accepted warnings in ${#debs[@]} packages"
exit $status
