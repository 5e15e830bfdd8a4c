#!/usr/bin/env bash
# The browser tests drive Debian's Chromium at /usr/bin/chromium (tests/browser/harness.ts), not
# a downloaded one. Installs it when it is missing: directly as root (a CI container, a fresh
# machine), through sudo otherwise; with neither, says what is needed and exits 1.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
  as_root() { sudo "$@"; }
else
  echo "ensure-chromium: the browser tests need Chromium at /usr/bin/chromium; as root, run: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

as_root apt-get update
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
