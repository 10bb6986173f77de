#!/usr/bin/env bash
# Checks what the packages bring beside the programs, unpacked as dpkg would lay them out: a man
# page per program naming every option its --help names and rendering without warnings, bash and
# zsh completions that complete commands and subcommands, the desktop entry with its natter: URL
# handler, AppStream metainfo that appstreamcli validates (with the desktop file and icons), and
# the hicolor PNG icons at their sizes.
# Usage: desktop_integration_check.sh PACKAGES_DIR
set -uo pipefail
dir=$1
status=0
fail() { echo "FAIL: $*"; status=1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
for package in natterd natter natter-desktop; do
  found=("$dir/${package}_"*.deb)
  [ -f "${found[0]}" ] || { echo "FAIL: no ${package}_*.deb in $dir"; exit 1; }
  dpkg-deb -x "${found[0]}" "$root" || { echo "FAIL: dpkg-deb -x ${found[0]}"; exit 1; }
done

echo "== man pages"
for page in man8/natterd.8 man1/natter.1 man1/natter-desktop.1; do
  file=$root/usr/share/man/$page.gz
  [ -f "$file" ] || { fail "no /usr/share/man/$page.gz"; continue; }
  program=$(basename "${page%.*}")
  warnings=$(MANWIDTH=80 man --warnings -l "$file" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "$page renders with warnings: $warnings"
  text=$(MANWIDTH=200 man -l "$file" 2>/dev/null)
  help=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/$program" --help 2>/dev/null)
  missing=0
  for option in $(grep -oE -- '--[a-z][a-z-]+' <<<"$help" | sort -u); do
    grep -qF -- "$option" <<<"$text" || { fail "$page does not name $option ($program --help does)"; missing=1; }
  done
  [ $missing -eq 0 ] && echo "$page: names all $(grep -oE -- '--[a-z][a-z-]+' <<<"$help" | sort -u | wc -l) options of $program --help"
done
grep -qF "rotate-jwt-key" <<<"$(man -l "$root/usr/share/man/man8/natterd.8.gz" 2>/dev/null)" ||
  fail "natterd(8) does not describe natterd admin rotate-jwt-key"

echo "== bash completions"
completions=$root/usr/share/bash-completion/completions
# complete PROGRAM WORDS...: what bash offers for the last word.
complete_words() {
  local program=$1
  shift
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _'"${program//-/_}"'; echo "${COMPREPLY[*]}"' \
    _ "$completions/$program" "$program" "$@"
}
expect() {
  local offered=$1 wanted=$2 what=$3
  [[ " $offered " == *" $wanted "* ]] && echo "$what: offers $wanted" || fail "$what: expected $wanted among '$offered'"
}
for program in natterd natter; do
  [ -f "$completions/$program" ] || fail "no bash completion for $program"
  [ -f "$root/usr/share/zsh/vendor-completions/_$program" ] || fail "no zsh completion for $program"
done
expect "$(complete_words natterd adm)" admin "natterd adm<TAB>"
expect "$(complete_words natterd admin --data-dir /var/lib/natter re)" revoke-device "natterd admin --data-dir DIR re<TAB>"
expect "$(complete_words natterd admin --data-dir /var/lib/natter ro)" rotate-jwt-key "natterd admin --data-dir DIR ro<TAB>"
expect "$(complete_words natterd --che)" --check-config "natterd --che<TAB>"
expect "$(complete_words natter gr)" group "natter gr<TAB>"
expect "$(complete_words natter group "")" leave "natter group <TAB>"
expect "$(complete_words natter --profile work se)" send "natter --profile NAME se<TAB>"
offered=$(complete_words natter send Bob hello)
[ -z "$offered" ] && echo "natter send Bob <TAB>: no command words" || fail "natter send Bob hello<TAB> offered '$offered'"

echo "== desktop entry, AppStream, icons"
desktop=$root/usr/share/applications/org.natter.Natter.desktop
[ -f "$desktop" ] || fail "no /usr/share/applications/org.natter.Natter.desktop"
grep -qx 'MimeType=x-scheme-handler/natter;' "$desktop" || fail "the desktop entry does not handle natter: links"
grep -qx 'Exec=natter-desktop %u' "$desktop" || fail "the desktop entry does not pass the link to natter-desktop"
grep -qE '^Categories=.*InstantMessaging;' "$desktop" || fail "the desktop entry is not in InstantMessaging"
metainfo=$root/usr/share/metainfo/org.natter.Natter.metainfo.xml
[ -f "$metainfo" ] || fail "no /usr/share/metainfo/org.natter.Natter.metainfo.xml"
command -v appstreamcli >/dev/null || { echo "FAIL: appstreamcli is missing (scripts/install-deps.sh installs appstream)"; exit 1; }
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree (metainfo, desktop entry, icons together)"
for size in 16 22 24 32 48 64 128 256 512; do
  png=$root/usr/share/icons/hicolor/${size}x${size}/apps/natter-desktop.png
  [ -f "$png" ] || { fail "no ${size}x${size} icon"; continue; }
  dims=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8]==b"\x89PNG\r\n\x1a\n" else "not a PNG")' "$png")
  [ "$dims" = "${size}x${size}" ] || fail "the ${size}x${size} icon is $dims"
done
[ -f "$root/usr/share/icons/hicolor/scalable/apps/natter-desktop.svg" ] || fail "no scalable icon"
[ $status -eq 0 ] && echo "desktop integration: man pages, completions, desktop entry, AppStream and icons as expected"
exit $status
