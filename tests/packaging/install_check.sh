#!/usr/bin/env bash
# Installs the natterd, natter and natter-desktop packages into a throwaway root the way a user
# would (apt-get install ./*.deb, see throwaway_root.sh) and runs what got installed: natterd on
# the installed /etc/natter/natterd.conf answers /healthz, natter registers two accounts and sends
# a message that arrives, natter-desktop --screenshot renders that chat. Then remove keeps the
# conffile and the data, purge takes them too, and nothing else is left behind.
# Usage: install_check.sh PACKAGES_DIR VERSION
set -uo pipefail
source "$(dirname "$0")/throwaway_root.sh"
throwaway_root_require
throwaway_root_enter_namespace "$@"
version=$2
status=0
fail() { echo "FAIL: $*"; status=1; }
step() { echo "== $*"; }

throwaway_root_create
mapfile -t debs < <(throwaway_root_add_debs "$1" natterd natter natter-desktop) || exit 1
step "apt-get install ${debs[*]}"
in_root apt-get install -y -q --no-install-recommends "${debs[@]}" >"$ROOT/tmp/apt-install.log" 2>&1 ||
  { cat "$ROOT/tmp/apt-install.log"; echo "FAIL: apt-get install"; exit 1; }
for package in natterd natter natter-desktop; do
  state=$(in_root dpkg-query -W -f '${Status} ${Version}' "$package")
  [ "$state" = "install ok installed $version-1" ] || fail "$package: '$state', expected 'install ok installed $version-1'"
done
[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/natterd.service" ] || fail "natterd.service was not enabled"

step "versions"
for program in natterd natter natter-desktop; do
  printed=$(in_root QT_QPA_PLATFORM=offscreen "$program" --version 2>/dev/null)
  [ "$printed" = "$program $version" ] || fail "$program --version printed '$printed', expected '$program $version'"
done

# natterd as natterd.service would run it: the installed config file (data in /var/lib/natter,
# which systemd's StateDirectory= makes and hands to the service's user), an unprivileged user.
step "natterd --config /etc/natter/natterd.conf"
install -d -m 0700 -o nobody -g nogroup "$ROOT/var/lib/natter"
chroot "$ROOT" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs \
  natterd --config /etc/natter/natterd.conf --listen 127.0.0.1:0 --verification fixed:123456 \
  >"$ROOT/tmp/natterd.out" 2>"$ROOT/tmp/natterd.err" &
natterd_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|^natterd: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$ROOT/tmp/natterd.out")
  [ -n "$port" ] || ! kill -0 $natterd_pid 2>/dev/null && break
  sleep 0.1
done
if [ -z "$port" ]; then
  cat "$ROOT/tmp/natterd.err"
  echo "FAIL: the installed natterd did not start"
  exit 1
fi
server=http://127.0.0.1:$port
health=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$server/healthz")
[ "$health" = 200 ] && echo "/healthz: 200" || fail "/healthz answered '$health'"
[ -f "$ROOT/var/lib/natter/natterd.db" ] || fail "natterd did not keep its database in /var/lib/natter"

step "natter: register Alice and Bob, Alice sends"
client_env=(HOME=/tmp/home XDG_DATA_HOME=/tmp/clients XDG_CONFIG_HOME=/tmp/clients/config NATTER_NO_KEYCHAIN=1
            NATTER_PASSPHRASE=installed-test-passphrase QT_QPA_PLATFORM=offscreen)
natter() { timeout 60 chroot "$ROOT" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "${client_env[@]}" natter "$@"; }
natter --profile alice --server "$server" register +15550001 --name Alice --code 123456 || fail "natter register Alice"
natter --profile bob --server "$server" register +15550002 --name Bob --code 123456 || fail "natter register Bob"
natter --profile alice contacts add +15550002 --name Bob || fail "natter contacts add"
natter --profile bob contacts add +15550001 --name Alice || fail "natter contacts add"
natter --profile alice send Bob "Hello from the installed package" || fail "natter send"
history=$(natter --profile bob history Alice)
echo "$history"
grep -q "Hello from the installed package" <<<"$history" || fail "Bob's history does not show Alice's message"

step "natter-desktop --screenshot"
shot=$(timeout 90 chroot "$ROOT" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "${client_env[@]}" \
  natter-desktop --profile bob --screenshot /tmp/desktop.png --open-chat Alice) || fail "natter-desktop --screenshot exited $?"
echo "$shot"
grep -q "screenshot of screen 'main' (chat 'dm:" <<<"$shot" || fail "natter-desktop did not render Bob's chat with Alice"
if [ -s "$ROOT/tmp/desktop.png" ]; then
  # A PNG: its 8-byte signature, then IHDR with the width and height as big-endian 32-bit numbers.
  size=not-png
  if [ "$(od -An -tx1 -N8 "$ROOT/tmp/desktop.png" | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    read -r -a b <<<"$(od -An -tu1 -j16 -N8 "$ROOT/tmp/desktop.png")"
    size="$(( (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3] )) $(( (b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7] ))"
  fi
  echo "screenshot: $size"
  read -r width height <<<"$size"
  [[ "$width" =~ ^[0-9]+$ ]] && [ "$width" -ge 400 ] && [ "$height" -ge 300 ] || fail "the screenshot is not a window-sized PNG ($size)"
  [ -n "${NATTER_SCREENSHOT_DIR:-}" ] && mkdir -p "$NATTER_SCREENSHOT_DIR" && cp "$ROOT/tmp/desktop.png" "$NATTER_SCREENSHOT_DIR/installed-package.png"
else
  fail "natter-desktop wrote no screenshot"
fi

kill -TERM $natterd_pid
wait $natterd_pid || fail "natterd exited $? on SIGTERM"

step "apt-get remove: the conffile and the data stay"
in_root apt-get remove -y -q natterd natter natter-desktop >"$ROOT/tmp/apt-remove.log" 2>&1 ||
  { cat "$ROOT/tmp/apt-remove.log"; fail "apt-get remove"; }
for program in natterd natter natter-desktop; do [ -e "$ROOT/usr/bin/$program" ] && fail "/usr/bin/$program is still there"; done
[ -f "$ROOT/etc/natter/natterd.conf" ] || fail "remove took /etc/natter/natterd.conf (a conffile stays until purge)"
[ -f "$ROOT/var/lib/natter/natterd.db" ] || fail "remove took natterd's data (it stays until purge)"
state=$(in_root dpkg-query -W -f '${Status}' natterd)
[ "$state" = "deinstall ok config-files" ] || fail "natterd after remove: '$state'"

step "apt-get purge natterd: nothing is left behind"
in_root apt-get purge -y -q natterd >"$ROOT/tmp/apt-purge.log" 2>&1 ||
  { cat "$ROOT/tmp/apt-purge.log"; fail "apt-get purge"; }
for package in natterd natter natter-desktop; do
  in_root dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q . && fail "dpkg still knows $package after purge"
done
for gone in /etc/natter /var/lib/natter /lib/systemd/system/natterd.service /etc/systemd/system/multi-user.target.wants/natterd.service; do
  [ -e "$ROOT$gone" ] || [ -L "$ROOT$gone" ] && fail "$gone is still there after purge"
done
# What changed, relative to this machine: directories that already existed (their entries
# changed), the package manager's own state and logs, icon caches its triggers rebuild, and the
# man page index man-db's trigger keeps (/var/cache/man belongs to man-db, not to our packages).
leftovers=$(cd "$UPPER" && find . -mindepth 1 | sed 's|^\.||' | sort | while read -r path; do
  if [ -c "$UPPER$path" ]; then { [ -e "$path" ] || [ -L "$path" ]; } && echo "deleted $path"; continue; fi
  case "$path" in
    /var/lib/dpkg/*|/var/lib/apt/*|/var/cache/apt/*|/var/cache/debconf/*|/var/cache/man/*|/var/log/*) continue ;;
    /usr/share/icons/hicolor/icon-theme.cache|/usr/share/applications/mimeinfo.cache) [ -e "$path" ] && continue ;;
  esac
  [ -d "$UPPER$path" ] && [ ! -L "$UPPER$path" ] && [ -d "$path" ] && continue
  echo "left $path"
done)
if [ -n "$leftovers" ]; then
  echo "$leftovers"
  fail "purging left files behind (or deleted some of this machine's)"
else
  echo "nothing left behind"
fi

[ $status -eq 0 ] && echo "installed packages: natterd served, natter sent and received, natter-desktop rendered; purge left nothing"
exit $status
