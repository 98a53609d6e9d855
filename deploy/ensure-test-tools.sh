#!/usr/bin/env bash
# The deploy smoke test runs nginx (and openssl for a throwaway certificate) and checks the
# systemd units with systemd-analyze: install Debian's when they are missing. Under CI=true the test fails without them; elsewhere it skips nginx.
set -euo pipefail
if command -v nginx >/dev/null && command -v openssl >/dev/null \
    && command -v systemd-analyze >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "nginx is missing: run 'sudo apt-get install nginx-light openssl'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq nginx-light openssl systemd >/dev/null
# Only the binary is wanted here: the distribution's default site must not hold port 80.
if command -v systemctl >/dev/null; then
  systemctl disable --now nginx >/dev/null 2>&1 || true
fi
