#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the end-to-end tests (driven by
# Playwright, which must not download a browser of its own) and fonts for screenshots;
# Pango for WeasyPrint (the report PDFs) and the Liberation fonts the reports are set in.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing ${need[*]} and no apt-get: install them by hand (end-to-end tests need /usr/bin/chromium)." >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
