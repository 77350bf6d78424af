#!/usr/bin/env bash
# The dashboard tab's browser test drives Debian's Chromium (a browser download is impossible on a closed network).
# Installs it when it is missing and this machine can: as root, or with sudo, through apt-get.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tab's browser test needs Chromium at /usr/bin/chromium; install it with your package manager." >&2
  exit 1
fi
as_root=()
[ "$(id -u)" = "0" ] || as_root=(sudo)
echo "Installing Debian's chromium for the tab's browser test (once)…"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium >/dev/null
