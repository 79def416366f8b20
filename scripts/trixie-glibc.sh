#!/usr/bin/env bash
# Test set-up only: the Chroma server bundled in the chromadb package needs glibc >= 2.39, and Debian 12
# has 2.36. This unpacks Debian trixie's libc6, libstdc++6 and libgcc-s1 into a private folder (nothing
# is installed system-wide), so the server can be started through trixie's dynamic loader:
#   <dir>/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path <dir>/root/usr/lib/x86_64-linux-gnu \
#     "$(which node)" node_modules/chromadb/dist/cli.mjs run --path DATA --port PORT
# Usage: scripts/trixie-glibc.sh [dir]   (default ~/.cache/daily-brief/trixie-glibc); prints the lib dir.
set -euo pipefail
dir="${1:-${DAILY_BRIEF_GLIBC_DIR:-$HOME/.cache/daily-brief/trixie-glibc}}"
lib="$dir/root/usr/lib/x86_64-linux-gnu"
if [ -x "$lib/ld-linux-x86-64.so.2" ] && [ -e "$lib/libstdc++.so.6" ]; then
  echo "$lib"
  exit 0
fi
mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/debs" "$dir/root"
echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main' \
  >"$dir/apt/sources.list"
opts=(-o "Dir::Etc::sourcelist=$dir/apt/sources.list" -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache" -o "APT::Get::List-Cleanup=0")
apt-get "${opts[@]}" -qq update >&2
(cd "$dir/debs" && apt-get "${opts[@]}" -qq download libc6 libstdc++6 libgcc-s1 >&2)
for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
echo "$lib"
