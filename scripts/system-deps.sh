#!/usr/bin/env bash
# Install the Debian packages this project needs, only those that are missing.
# Usage: scripts/system-deps.sh run|test
#   run:  what serving needs (Pango, HarfBuzz subsetting, fontconfig, Noto CJK fonts, python3-venv); the Python
#         packages are plain wheels from the hashed locks, so no compiler is needed
#   test: run + Chromium for browser tests, poppler-utils for reading PDFs back, redis-server for shared limits
set -euo pipefail

run_pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk)
test_pkgs=(chromium poppler-utils redis-server)

case "${1:-run}" in
  run) wanted=("${run_pkgs[@]}") ;;
  test) wanted=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

# The Python the venv is made from (the Makefile's PYTHON).
python="${PYTHON:-python3}"

# python3 -m venv needs ensurepip, which Debian ships separately.
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  wanted+=(python3-venv)
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<MSG
This machine has no apt-get. Install these (Debian/Ubuntu package names) with your system's package manager:
  ${missing[*]}
Equivalents elsewhere: Pango >= 1.44, HarfBuzz with its subset library, fontconfig, the Noto Sans CJK fonts,
Chromium (tests only) and poppler's pdftotext/pdffonts (tests only). Then run make again.
MSG
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "Missing Debian packages: ${missing[*]}. Run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

echo "Installing Debian packages: ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
