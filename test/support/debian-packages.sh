#!/usr/bin/env bash
# Makes sure the Debian packages named as arguments are installed.
# Missing ones are installed when this runs as root with apt-get (daemons they bring are not
# started); otherwise the script names them, says how to install them, and exits 1.
set -euo pipefail
missing=()
for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them (as root: apt-get install ${missing[*]}) and run again" >&2
  exit 1
fi
echo "installing ${missing[*]}" >&2
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  guard=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod +x "$guard"
  trap 'rm -f "$guard"' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
