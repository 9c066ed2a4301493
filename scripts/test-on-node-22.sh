#!/usr/bin/env bash
# The library packages support Node >= 22: run their suites on the Node 22 binary of the
# `node-22` optional dependency (linux-x64), while every other script runs on the repository's Node 24.
set -euo pipefail
cd "$(dirname "$0")/.."
node22="$PWD/node_modules/node-22/bin/node"
if [ ! -x "$node22" ]; then
  echo "No Node 22 at $node22: it installs with 'pnpm install' on linux-x64 only." >&2
  exit 1
fi
echo "Library suites on $("$node22" --version)"
# A suite that leaves a handle open never exits (Jest waits for it): fail after 20 minutes rather than hang CI.
for package in packages/*/; do
  (cd "$package" && NODE_OPTIONS='--experimental-vm-modules --disable-warning=ExperimentalWarning' \
    timeout --kill-after=10s 20m "$node22" ../../node_modules/jest/bin/jest.js --silent) || {
    status=$?
    [ "$status" -eq 124 ] && echo "$package: its suite did not exit within 20 minutes (an open handle?)" >&2
    exit "$status"
  }
done
