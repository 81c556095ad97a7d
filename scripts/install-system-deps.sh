#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the end-to-end tests (driven by
# Playwright, which must not download a browser of its own) and fonts for screenshots;
# Pango for WeasyPrint (the report PDFs) and the Liberation fonts the reports are set in;
# Noto Color Emoji, so names like « Amandine 🌾 » show on every page and in the PDF, not as
# empty boxes; Node.js and npm to install axe-core, the rehearsal's accessibility audit;
# HAProxy, the load balancer in front of `workshop serve --workers N` (tests/test_workers.py);
# OpenSSL (the throw-away certificate authority of tests/test_hosting.py) and NSS's certutil
# (Chromium trusts that authority through an NSS database); the PostgreSQL client programs
# pg_dump and pg_restore (`workshop backup` / `workshop restore`, tests/test_backup.py).
# Idempotent: does nothing when everything is already there.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need+=(fonts-noto-color-emoji)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
command -v pg_dump >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 || need+=(postgresql-client)
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
