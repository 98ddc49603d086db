#!/usr/bin/env bash
# Debian packages the test suite uses beyond npm: installs the missing ones when it can (root + apt),
# otherwise says exactly what to install. Run by `npm test` before the tests.
set -euo pipefail
missing=()
command -v socat >/dev/null 2>&1 || missing+=(socat)              # pty pairs for the serial tests
[ -x /usr/bin/chromium ] || missing+=(chromium)                      # staff page / HACCP report tests
command -v openssl >/dev/null 2>&1 || missing+=(openssl)          # TLS listener test certificate
fc-list 2>/dev/null | grep -qi wqy || missing+=(fonts-wqy-microhei) # Chinese text in screenshots
[ ${#missing[@]} -eq 0 ] && exit 0

echo "shelfgate tests: installing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo apt-get update -qq >&2
  sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "shelfgate tests need: ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
  exit 1
fi
