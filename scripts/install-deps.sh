#!/usr/bin/env bash
# Installs every system package Natter needs to build, run and test on Debian 12.
# This file is the project's only dependency list. Idempotent: installs only what is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config make
  # server: Boost 1.81 (versioned packages; they conflict with the unversioned 1.74 ones)
  libboost1.81-dev libboost-program-options1.81-dev libboost-json1.81-dev
  libssl-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev
  # cluster: PostgreSQL (store), Redis (routing, presence, shared limits), HAProxy (make cluster)
  libpq-dev postgresql libhiredis-dev redis-server haproxy
  # client core and apps: Qt 6, SQLCipher, Signal protocol
  qt6-base-dev qt6-websockets-dev qt6-declarative-dev qt6-svg-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
  qml6-module-qtquick-window qml6-module-qtquick-layouts qml6-module-qtquick-dialogs
  qml6-module-qtqml-workerscript qml6-module-qt-labs-folderlistmodel
  qtkeychain-qt6-dev libqrencode-dev
  # natter shell's line editor (history, Tab completion, typing notices while you type)
  libreadline-dev
  libsqlcipher-dev libsignal-protocol-c-dev
  fonts-noto-color-emoji
  # tests and tooling (a real X session for natter-desktop: X server, session bus,
  # dbus-monitor, notification daemon, XEmbed system tray, xwininfo)
  xvfb xauth procps openssl dbus-daemon dbus-bin dunst trayer x11-utils
  # integration tests move natterd's wall clock (token expiry) instead of waiting: libfaketime
  faketime
  # packages and their checks (make package, tests/packaging): dpkg-shlibdeps, lintian,
  # systemd-analyze, curl for the installed natterd's /healthz, appstreamcli for the metainfo
  # (python3, below, also generates the man pages and completions from --help at build time),
  # man and file for the desktop-integration check of the man pages
  dpkg-dev lintian systemd curl appstream man-db file
  # make fuzz: clang with libFuzzer and the sanitizer runtimes; python3 writes the seed corpora
  clang libclang-rt-dev python3
  # tests/packaging/monitoring_check.py reads the Prometheus alert rules (YAML) and has
  # promtool (in prometheus; apt starts no service here) check them and run their unit tests
  python3-yaml prometheus
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
