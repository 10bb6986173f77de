#!/usr/bin/env bash
# natterd.service as the natterd package installs it: `systemd-analyze verify` passes and
# `systemd-analyze security` rates it OK or better (exposure below 5.0), and it keeps the
# hardening the package promises. Both run offline on the unit file (systemd need not be PID 1)
# inside a throwaway root where the package is installed, so that ExecStart's binary exists.
# Usage: systemd_unit_check.sh PACKAGES_DIR
set -uo pipefail
source "$(dirname "$0")/throwaway_root.sh"
throwaway_root_require
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is missing"; exit 77; }
throwaway_root_enter_namespace "$@"
set -e
throwaway_root_create
mapfile -t debs < <(throwaway_root_add_debs "$1" natterd)
in_root apt-get install -y -q --no-install-recommends "${debs[@]}" >/dev/null
set +e
unit=/lib/systemd/system/natterd.service
status=0

echo "== systemd-analyze verify $unit"
verify=$(in_root systemd-analyze verify "$unit" 2>&1)
verify_status=$?
echo "$verify"
if [ $verify_status -ne 0 ] || [ -n "$verify" ]; then
  echo "FAIL: systemd-analyze verify exited $verify_status or complained"
  status=1
fi

echo "== systemd-analyze security --offline=yes $unit"
security=$(in_root systemd-analyze security --offline=yes --no-pager "$unit" 2>&1)
echo "$security" | tail -n 3
overall=$(sed -n 's/.*Overall exposure level for natterd.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' <<<"$security")
read -r exposure rating <<<"$overall"
if [ -z "$exposure" ]; then
  echo "FAIL: no overall exposure level in systemd-analyze security's output"
  status=1
elif ! awk -v e="$exposure" 'BEGIN { exit !(e < 5.0) }' || ! [[ "$rating" =~ ^(OK|SAFE|PERFECT)$ ]]; then
  echo "FAIL: exposure $exposure $rating, expected below 5.0 (OK or better)"
  status=1
else
  echo "exposure $exposure $rating"
fi

echo "== the hardening natterd.service promises"
for line in DynamicUser=yes ProtectSystem=strict StateDirectory=natter NoNewPrivileges=yes CapabilityBoundingSet= \
            SystemCallFilter=@system-service "ExecStart=/usr/bin/natterd --config /etc/natter/natterd.conf"; do
  if ! grep -qxF "$line" "$ROOT$unit"; then
    echo "FAIL: $unit lacks '$line'"
    status=1
  fi
done
nofile=$(sed -n 's/^LimitNOFILE=\([0-9]*\)$/\1/p' "$ROOT$unit")
if [ -z "$nofile" ] || [ "$nofile" -lt 65536 ]; then
  echo "FAIL: LimitNOFILE='$nofile', expected at least 65536 (one descriptor per connection)"
  status=1
fi
echo "== natterd --check-config /etc/natter/natterd.conf (what ExecStart reads)"
in_root natterd --check-config /etc/natter/natterd.conf || { echo "FAIL: the installed config file is not valid"; status=1; }
[ $status -eq 0 ] && echo "natterd.service: verified, exposure $exposure $rating, hardening in place"
exit $status
