# shellcheck shell=bash
# Source this (bash) to run the cached real n8n headless:
#
#   scripts/install-n8n.sh                       # once; cached outside the repo
#   source scripts/n8n-env.sh                    # N8N_USER_FOLDER: kept if set, else a new temp dir
#   n8n import:workflow --input=wf.json
#   n8n execute --id=<16-char id> --rawOutput    # result JSON starts at the first line that is exactly "{"
#
# It does not install anything; it fails (returns 1) when scripts/install-n8n.sh has not completed.
# Node 24 comes first on PATH for the n8n commands; the repo itself still builds/tests on Node 20, so
# source this in a sub-shell or a separate terminal, not in the one you run `npm run build` from.
# Variables it reads: AI_VIDEO_N8N_CACHE, AI_VIDEO_N8N_VERSION (as install-n8n.sh), N8N_USER_FOLDER,
# N8N_CUSTOM_EXTENSIONS (default <repo>/dist).

_ai_video_env_main() {
  local here repo locations line
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  repo="$(cd "$here/.." && pwd)"
  if ! locations="$("$here/install-n8n.sh" --check)"; then
    echo "n8n-env.sh: run scripts/install-n8n.sh first" >&2
    return 1
  fi
  while IFS= read -r line; do
    case "$line" in
      N8N_ROOT=*) export AI_VIDEO_N8N_ROOT="${line#*=}" ;;
      N8N_BIN=*) export AI_VIDEO_N8N_BIN="${line#*=}" ;;
      NODE24_BIN_DIR=*) export AI_VIDEO_NODE24_BIN_DIR="${line#*=}" ;;
    esac
  done <<<"$locations"

  # Node 24 first, then n8n's own bin folder (so plain `n8n` works).
  export PATH="$AI_VIDEO_NODE24_BIN_DIR:$AI_VIDEO_N8N_ROOT/node_modules/.bin:$PATH"

  if [[ -z "${N8N_USER_FOLDER:-}" ]]; then
    N8N_USER_FOLDER="$(mktemp -d "${TMPDIR:-/tmp}/n8n-home.XXXXXX")"
  fi
  mkdir -p "$N8N_USER_FOLDER"
  export N8N_USER_FOLDER # n8n keeps its data in $N8N_USER_FOLDER/.n8n (else it writes to ~/.n8n)

  # Fixed key: credentials imported with it stay readable across runs of the same folder.
  export N8N_ENCRYPTION_KEY="${N8N_ENCRYPTION_KEY:-ai-video-e2e-fixed-encryption-key-0001}"
  export DB_TYPE=sqlite
  export N8N_DIAGNOSTICS_ENABLED=false
  export N8N_VERSION_NOTIFICATIONS_ENABLED=false
  export N8N_TEMPLATES_ENABLED=false
  export N8N_PERSONALIZATION_ENABLED=false
  export N8N_DISABLED_MODULES=mcp-registry
  # Quieter and no warnings about config-file modes in temp dirs.
  export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false
  export N8N_SECURE_COOKIE=false
  # Load this repo's built nodes: node types then read CUSTOM.<nodeName>.
  export N8N_CUSTOM_EXTENSIONS="${N8N_CUSTOM_EXTENSIONS:-$repo/dist}"
  # Server-side settings for `n8n start` (only used by it): loopback only.
  export N8N_LISTEN_ADDRESS=127.0.0.1
  export N8N_HOST=127.0.0.1
  export N8N_PROTOCOL=http
  unset npm_config_ignore_scripts npm_config_nodedir 2>/dev/null || true
  # NODE_ENV=test (set by jest) makes `n8n execute` print nothing and exit 0, and `n8n start` exit 1
  # silently: never pass it on.
  unset NODE_ENV
  return 0
}

_ai_video_env_main
_ai_video_env_rc=$?
unset -f _ai_video_env_main
# `return` when sourced, `exit` when (mistakenly) executed
# shellcheck disable=SC2317
return "$_ai_video_env_rc" 2>/dev/null || exit "$_ai_video_env_rc"
