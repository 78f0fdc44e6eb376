#!/usr/bin/env bash
# Makes sure Debian's redis-server is installed, for the end-to-end queue-mode test
# (EXECUTIONS_MODE=queue: `n8n start` + `n8n worker` share a Bull queue in redis).
#
#   scripts/ensure-redis.sh          install redis-server via apt-get if it is missing (idempotent)
#   scripts/ensure-redis.sh --check  exit 0 if redis-server is installed, 1 if not
#
# It installs only; it never starts a redis. The test starts its own redis-server on a free loopback
# port without persistence (--save '' --appendonly no) and stops it afterwards.
# stdout gets one line, REDIS_SERVER=<path>; progress goes to stderr, apt's output to a log file.
set -euo pipefail

log() { echo "[ensure-redis $(date +%H:%M:%S)] $*" >&2; }

found() {
  local bin
  bin="$(command -v redis-server 2>/dev/null || true)"
  [[ -z "$bin" && -x /usr/bin/redis-server ]] && bin=/usr/bin/redis-server
  [[ -n "$bin" ]] && echo "$bin"
}

if bin="$(found)"; then
  echo "REDIS_SERVER=$bin"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "redis-server is not installed (run scripts/ensure-redis.sh)" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis.sh: redis-server is missing and there is no apt-get: install redis-server (>= 6) yourself" >&2
  exit 1
fi
SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "ensure-redis.sh: redis-server is missing; run as root or: sudo apt-get install -y redis-server" >&2
    exit 1
  fi
fi

LOG="$(mktemp "${TMPDIR:-/tmp}/ensure-redis.XXXXXX.log")"
# apt/dpkg may be busy (another install, unattended upgrades): wait for their locks, bounded.
export DEBIAN_FRONTEND=noninteractive
start=$SECONDS
log "installing redis-server with apt-get (log: $LOG)"
if ! timeout 600 "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update >>"$LOG" 2>&1; then
  tail -n 20 "$LOG" >&2
  echo "ensure-redis.sh: apt-get update failed" >&2
  exit 1
fi
# --no-install-recommends: just the server and its tools; the package's postinst may try to start
# the service, which fails harmlessly where there is no init system (containers): policy-rc.d
# keeps it from starting at all where we may add one.
policy=""
if [[ ! -e /usr/sbin/policy-rc.d && -z "${SUDO[*]}" ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  policy=/usr/sbin/policy-rc.d
fi
rc=0
timeout 900 "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends redis-server >>"$LOG" 2>&1 || rc=$?
[[ -n "$policy" ]] && rm -f "$policy"
if [[ $rc != 0 ]]; then
  tail -n 20 "$LOG" >&2
  echo "ensure-redis.sh: apt-get install redis-server failed ($rc)" >&2
  exit 1
fi
# a service the package started anyway (systemd hosts) is not ours to keep: the tests use their own
bin="$(found)" || { echo "ensure-redis.sh: installed, but no redis-server found" >&2; exit 1; }
log "installed $("$bin" --version | head -n 1) in $((SECONDS - start)) s"
rm -f "$LOG"
echo "REDIS_SERVER=$bin"
