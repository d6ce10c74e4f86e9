#!/usr/bin/env bash
# The test command: installs what is missing, then type-checks, lints, builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./hack/deps.sh
npm run --silent check
