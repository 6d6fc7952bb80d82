#!/usr/bin/env bash
# Makes sure the real parts the tests run are on this machine: Debian's `prometheus` (with promtool),
# `prometheus-alertmanager` (amtool checks alerts/alertmanager.yml) and `chromium`. Installs them with apt-get when we may (root, or sudo without a password);
# otherwise says exactly what to run.
set -euo pipefail

missing=()
{ command -v prometheus && command -v promtool; } >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing: ${missing[*]} (this machine has no apt-get: install Prometheus 2.x and Chromium by hand)" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
