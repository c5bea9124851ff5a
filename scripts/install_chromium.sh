#!/bin/sh
# The browser tests drive Debian's Chromium at /usr/bin/chromium (Playwright never downloads a browser).
# Installs it from Debian's packages only when it is missing; needs root (CI and developer machines are).
set -e
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "install_chromium.sh: /usr/bin/chromium is missing; run as root: apt-get install -y chromium" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium
