#!/usr/bin/env bash
# Install what the WebKit and Firefox flows (tests/engines) need when it is missing: WebKitGTK's
# WebDriver and a virtual display, Firefox ESR (Debian packages), and puppeteer-core.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=()
[ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
[ -x /usr/bin/Xvfb ] || missing+=(xvfb)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing: run 'sudo apt-get install ${missing[*]}'" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -d "$here/engines/node_modules/puppeteer-core" ]; then
  (cd "$here/engines" && npm install --no-audit --no-fund)
fi
