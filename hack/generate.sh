#!/usr/bin/env bash
# Regenerates the TypeScript API code (packages/machinery/src/api/gen) from proto/ with buf and the
# local protoc-gen-es. Fully offline: no BSR modules or remote plugins are used.
#
#   hack/generate.sh [OUT_DIR]    (default: packages/machinery/src/api/gen)
set -euo pipefail

cd "$(dirname "$0")/.."

out="${1:-packages/machinery/src/api/gen}"

rm -rf "$out"
mkdir -p "$out"

if [[ "$out" == "packages/machinery/src/api/gen" ]]; then
  npx --no-install buf generate
else
  # buf.gen.yaml names the default output; write elsewhere (check-generated.sh) by overriding it.
  npx --no-install buf generate --template "$(sed "s|out: packages/machinery/src/api/gen|out: $out|" buf.gen.yaml)"
fi
