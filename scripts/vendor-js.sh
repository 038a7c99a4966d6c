#!/usr/bin/env bash
# Install the browser libraries of the web pages from the npm registry (package.json, pinned with
# its integrity hashes in package-lock.json) and copy the one file each page loads into
# service/web/static/vendor/, where the app serves it: no CDN, the pages work offline.
# The copied files are build output (ignored by git), made again whenever the lock changes.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  as_root=()
  [ "$(id -u)" -ne 0 ] && as_root=(sudo)
  echo "vendor-js: installing Debian's npm (and nodejs)" >&2
  "${as_root[@]}" apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm
fi
npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
mkdir -p service/web/static/vendor
cp node_modules/chart.js/dist/chart.umd.min.js service/web/static/vendor/chart.umd.min.js
cp node_modules/chart.js/LICENSE.md service/web/static/vendor/chart.js.LICENSE.md
echo "vendor-js: chart.js $(node -p "require('./node_modules/chart.js/package.json').version") -> service/web/static/vendor/"
