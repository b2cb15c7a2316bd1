#!/usr/bin/env bash
# Test tools that do not come from PyPI: Debian's Chromium for the viewer's
# browser tests and Neo4j's Cypher linter from npm. Installed once, reused after.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup-tools: /usr/bin/chromium is missing; install Debian's chromium package (browser tests will be skipped)" >&2
  fi
fi
if [ -f "$here/js/package.json" ] && [ ! -d "$here/js/node_modules" ]; then
  (cd "$here/js" && npm ci --silent --no-audit --no-fund)
fi
