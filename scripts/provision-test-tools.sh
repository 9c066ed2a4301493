#!/usr/bin/env bash
# The end-to-end and Redis suites drive real programs from Debian: Chromium (through playwright-core, which
# downloads no browser), Firefox ESR (puppeteer-core over WebDriver BiDi), WebKitGTK's WebKitWebDriver (on an
# Xvfb display: its MiniBrowser has no headless mode), redis-server, redis-sentinel and redis-cli. Install whichever is missing, or say in one line how to get them.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
[ -x /usr/bin/Xvfb ] || missing+=(xvfb)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
# The Cluster and Sentinel suites of @grantkit/redis: redis-cli (redis-tools) creates the cluster.
command -v redis-sentinel >/dev/null 2>&1 || [ -x /usr/bin/redis-sentinel ] || missing+=(redis-sentinel)
command -v redis-cli >/dev/null 2>&1 || [ -x /usr/bin/redis-cli ] || missing+=(redis-tools)
[ ${#missing[@]} -eq 0 ] && exit 0

instruction="install with: sudo apt-get install -y ${missing[*]} (Debian/Ubuntu), then run the tests again"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need ${missing[*]} (Chromium at /usr/bin/chromium); this machine has no apt-get, so $instruction" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif sudo -n true 2>/dev/null; then
  run=(sudo -n)
else
  echo "The tests need ${missing[*]}, and installing them needs root: $instruction" >&2
  exit 1
fi

echo "Installing ${missing[*]} from Debian for the browser and Redis tests (apt-get; once per machine)…" >&2
"${run[@]}" apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed ${missing[*]}." >&2
