#!/usr/bin/env bash
# Builds the console with the machine's Node and npm (Maven runs this in generate-resources):
# installs the locked packages when the lock changed since the last install, builds with Vite
# into target/classes/static, and prints the size of each file of the bundle.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v npm >/dev/null || { echo "npm not found: Node.js 20 and npm are required to build the console" >&2; exit 1; }
if ! cmp -s package-lock.json node_modules/.package-lock.json.installed 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.installed
fi
npx vite build --logLevel warn
echo "console bundle (target/classes/static):"
total=0
while IFS= read -r f; do
  size=$(stat -c %s "$f")
  gz=$(gzip -c "$f" | wc -c)
  total=$((total + size))
  printf '  %-60s %9d bytes  %8d gzipped\n' "${f#target/classes/static/}" "$size" "$gz"
done < <(find target/classes/static -type f | sort)
echo "  total $total bytes"
