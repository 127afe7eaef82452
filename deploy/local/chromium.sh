#!/usr/bin/env bash
# The web page's tests drive the Debian chromium package through Playwright; Playwright's own browser download is
# never used (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD), so install the package when it is missing.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
. "$(dirname "$0")/packages.sh"
echo "chromium: installing the Debian package for the web page tests" >&2
install_packages chromium
