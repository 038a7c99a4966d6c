#!/usr/bin/env bash
# .doc, .wps, .rtf and .odt files are read through LibreOffice headless (`soffice`), and the
# tests make their .doc/.odt/.rtf fixtures with it. CI starts from a clean machine that can reach
# package registries only, so install Debian's Writer without a GUI here, only when missing.
set -euo pipefail

if command -v soffice >/dev/null 2>&1; then
    exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi
echo "ensure-libreoffice: installing Debian's libreoffice-writer-nogui" >&2
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    libreoffice-writer-nogui
