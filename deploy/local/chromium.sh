#!/usr/bin/env bash
# The web page's tests drive the Debian chromium package through Playwright; Playwright's own browser download is
# never used (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD), so install the package when it is missing.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "chromium: installing the Debian package for the web page tests" >&2
as_root apt-get update -qq >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
