#!/usr/bin/env bash
# Fails if packages/machinery/src/api/gen is not exactly what proto/ generates (run by `npm run check` and CI).
# Regenerates into a temporary directory; the checked-in tree is never touched.
set -euo pipefail

cd "$(dirname "$0")/.."

gen="packages/machinery/src/api/gen"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

bash hack/generate.sh "$tmp/gen" >/dev/null

if ! diff -r "$gen" "$tmp/gen" >"$tmp/diff.txt" 2>&1; then
  echo "error: $gen is out of date with proto/ (or was edited by hand)." >&2
  head -n 40 "$tmp/diff.txt" >&2
  echo "Run 'npm run generate' and commit the result." >&2
  exit 1
fi
echo "generated code: up to date"
