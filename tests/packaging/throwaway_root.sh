# Sourced by the packaging tests: a throwaway root to install the built .debs into the way a user
# would (apt-get install ./x.deb). It is this machine's own Debian system seen through an overlay
# whose writes go to a tmpfs, entered with chroot in a private mount namespace: apt and dpkg run
# for real against the real package database, and the host is never changed. The overlay's upper
# layer holds exactly what installing, removing and purging changed.

# Exits 77 (CTest: skipped), saying why, when a throwaway root cannot be made here.
throwaway_root_require() {
  if [ "$(id -u)" -ne 0 ]; then echo "SKIP: a throwaway root needs root (unshare, mount, chroot)"; exit 77; fi
  if ! grep -qw overlay /proc/filesystems; then echo "SKIP: this kernel has no overlay filesystem"; exit 77; fi
  for tool in unshare chroot apt-get dpkg-query; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
  done
}

# Runs the calling script again in a private mount namespace (its mounts vanish with it).
throwaway_root_enter_namespace() {
  if [ -z "${NATTER_IN_MOUNT_NAMESPACE:-}" ]; then
    NATTER_IN_MOUNT_NAMESPACE=1 exec unshare --mount --propagation private -- bash "$0" "$@"
  fi
}

# Makes the root: sets ROOT (where to chroot) and UPPER (what changed); cleans up on exit.
throwaway_root_create() {
  ROOT_BASE=$(mktemp -d /tmp/natter-throwaway-root.XXXXXX)
  trap throwaway_root_remove EXIT
  mount -t tmpfs -o mode=0755 natter-throwaway-root "$ROOT_BASE"
  mkdir "$ROOT_BASE/upper" "$ROOT_BASE/work" "$ROOT_BASE/root"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$ROOT_BASE/upper,workdir=$ROOT_BASE/work" "$ROOT_BASE/root"
  ROOT=$ROOT_BASE/root
  UPPER=$ROOT_BASE/upper
  mount -t proc proc "$ROOT/proc"
  mount --rbind /dev "$ROOT/dev"
  mount -t tmpfs tmpfs "$ROOT/tmp"
  mount -t tmpfs tmpfs "$ROOT/run" # no /run/systemd/system: maintainer scripts see no running systemd
}

# Ends what still runs in the root (only processes started there have it as their root), then
# unmounts it.
throwaway_root_remove() {
  local proc pids=()
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOT" ] && pids+=("${proc#/proc/}")
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -KILL "${pids[@]}" 2>/dev/null
    for proc in "${pids[@]}"; do while [ -e "/proc/$proc" ]; do sleep 0.1; done; done
  fi
  umount -R "$ROOT_BASE" 2>/dev/null
  rmdir "$ROOT_BASE"
}

# Runs a command in the root with a clean environment (extra VAR=value words may come first).
in_root() {
  chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# Copies the named packages (natterd natter ...) from the packages directory $1 into the root's
# /tmp/debs and prints their paths there; fails unless each has exactly one .deb.
throwaway_root_add_debs() {
  local dir=$1 package found
  shift
  mkdir -p "$ROOT/tmp/debs"
  for package in "$@"; do
    found=("$dir/${package}_"*.deb)
    if [ ${#found[@]} -ne 1 ] || [ ! -f "${found[0]}" ]; then
      echo "FAIL: expected one ${package}_*.deb in $dir, found: ${found[*]}" >&2
      return 1
    fi
    cp "${found[0]}" "$ROOT/tmp/debs/"
    echo "/tmp/debs/$(basename "${found[0]}")"
  done
}
