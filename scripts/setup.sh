#!/usr/bin/env bash
# Sets up a fresh machine for wordvec: pnpm 10, the workspace's packages (better-sqlite3 compiles
# from source where its prebuilt binary cannot be downloaded: about 90 s), and a build of every package.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "wordvec needs Node.js 20 or newer; this is $(node --version)" >&2
  exit 1
fi
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version | cut -d. -f1)" != "10" ]; then
  echo "setup: installing pnpm 10 with npm"
  npm install -g pnpm@10 >/dev/null
fi
# POT (python3-pot): the exact EMD the wmdistance tests hand gensim; they pin less without it.
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import gensim' >/dev/null 2>&1 &&
  ! /usr/bin/python3 -c 'import ot' >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pot >/dev/null 2>&1 ||
    echo "setup: python3-pot could not be installed; wmdistance is then checked on hand-solved cases only"
fi
# redis-server: the bot's shared state across hosts (REDIS_URL); its tests start one on loopback.
if ! command -v redis-server >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "setup: installing redis-server (Debian package)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; } ||
    echo "setup: warning: redis-server could not be installed; the Redis tests will skip" >&2
fi
# chromium: the web explorer's browser tests and `pnpm bench web` drive Debian's Chromium (no browser download).
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "setup: installing chromium (Debian package) for the web explorer's browser tests"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ||
    echo "setup: warning: chromium could not be installed; the browser tests will skip" >&2
fi
# fasttext: Facebook's fastText 0.9.2, the peer the fastText reader and trainer tests compare with.
if ! command -v fasttext >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "setup: installing fasttext (Debian package)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fasttext >/dev/null; } ||
    echo "setup: warning: fasttext could not be installed; the comparisons with it will skip" >&2
fi
pnpm install --frozen-lockfile
pnpm build
