#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium), and the screenshot they write
# needs a font with Chinese glyphs. CI starts from a clean machine that can reach package
# registries only, so install both here, and only when they are missing.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || packages+=(fonts-wqy-microhei)
if [ ${#packages[@]} -eq 0 ]; then
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi
echo "ensure-chromium: installing Debian's ${packages[*]}" >&2
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
