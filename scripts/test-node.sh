#!/usr/bin/env bash
# The unit and integration suite under another Node.js line: `scripts/test-node.sh 22` or `24`.
# The Node.js binary comes from the npm registry's `node@<major>` package, cached outside the
# clone (DSYNC_NODE_CACHE). The installed node_modules serve every line as they are: the SQLite
# binding is chosen when it loads (src/core/sqlite.ts) and the keychain binding is Node-API, so
# nothing is rebuilt. Run after `npm run build` (dist/ and its bundle are plain JavaScript for every line).
set -euo pipefail
major="${1:?usage: scripts/test-node.sh <major version, e.g. 22>}"
cd "$(dirname "$0")/.."

cache="${DSYNC_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dsync/node}/$major"
node_bin="$cache/node_modules/node/bin"
if [ ! -x "$node_bin/node" ]; then
  echo "test-node: installing node@$major from the npm registry into $cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error "node@$major"
fi
if [ ! -f dist/bundle/main.js ]; then
  echo "test-node: dist/ is missing; run \`npm run build\` first" >&2
  exit 1
fi

export PATH="$node_bin:$PATH"
echo "== unit and integration tests on Node.js $(node --version)"
exec node node_modules/vitest/vitest.mjs run --project unit --project integration "${@:2}"
