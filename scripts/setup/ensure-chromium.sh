#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the end-to-end tests (playwright-core drives
# /usr/bin/chromium; `npx playwright install` cannot download browsers on this network).
set -euo pipefail
chromium_bin=${STUDIOS_CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium_bin" ]; then
  echo "setup: chromium present ($chromium_bin)"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian's chromium (apt-get install chromium)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/tmp/studios-apt-chromium.log 2>&1; then
    apt-get update -q >/tmp/studios-apt-update.log 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/tmp/studios-apt-chromium.log 2>&1
  fi
  exit 0
fi
echo "setup: error: Chromium is missing. Install it as root with 'apt-get install -y chromium'" >&2
echo "       or point STUDIOS_CHROMIUM at a Chromium/Chrome binary." >&2
exit 1
