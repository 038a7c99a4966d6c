#!/usr/bin/env bash
# .doc, .wps, .rtf and .odt files are read through LibreOffice headless (`soffice`), and the
# tests make their .doc/.odt/.rtf fixtures with it. The service keeps one LibreOffice warm per
# process through unoserver (a PyPI dependency), whose server side runs under a python that has
# LibreOffice's `uno` module: Debian's python3-uno gives /usr/bin/python3 that module. CI starts
# from a clean machine that can reach package registries only, so install Debian's Writer without
# a GUI and python3-uno here, only what is missing.
set -euo pipefail

missing=()
if ! command -v soffice >/dev/null 2>&1; then
    missing+=(libreoffice-writer-nogui)
fi
if ! dpkg-query -W -f='${Status}' python3-uno 2>/dev/null | grep -q "install ok installed"; then
    missing+=(python3-uno)
fi
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi
echo "ensure-libreoffice: installing Debian's ${missing[*]}" >&2
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    "${missing[@]}"
