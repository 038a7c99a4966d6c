#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium). CI starts from a clean machine
# that can reach package registries only, so install it here, and only when it is missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi
echo "ensure-chromium: /usr/bin/chromium is missing; installing Debian's chromium" >&2
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
