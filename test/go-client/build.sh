#!/usr/bin/env bash
# Builds bin/talos-go-client: a CLI on Talos's own Go client library
# (github.com/siderolabs/talos/pkg/machinery, see go.mod), used by the
# talos-ts tests as a wire-compatibility oracle for the node's gRPC API.
#
# Usage: test/go-client/build.sh [-f]     (-f: rebuild even if up to date)
# Prints the binary's path on stdout as its last line.
#
# First run on a fresh machine downloads 44 modules from the Go module proxy
# (~29 MB of zips, ~160 MB unpacked in the module cache, ~240 MB of build
# cache): about 45 s on 2 cores; a rebuild with warm caches takes about 1 s.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin/talos-go-client"

force=0
if [[ "${1:-}" == "-f" ]]; then force=1; fi

GO="${GO:-}"
if [[ -z "$GO" ]]; then
  if command -v go >/dev/null 2>&1; then
    GO="$(command -v go)"
  elif [[ -x /usr/local/go/bin/go ]]; then
    GO=/usr/local/go/bin/go
  else
    echo "build.sh: the Go toolchain ('go') was not found on PATH or at /usr/local/go/bin/go;" >&2
    echo "build.sh: install Go >= 1.21 to build test/go-client (or set GO=/path/to/go)." >&2
    exit 1
  fi
fi

up_to_date() {
  [[ -x "$bin" ]] || return 1
  local f
  for f in main.go go.mod go.sum build.sh; do
    [[ "$bin" -nt "$here/$f" ]] || return 1
  done
}

if [[ $force -eq 0 ]] && up_to_date; then
  echo "build.sh: $bin is up to date" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$here/bin"
cd "$here"

start=$(date +%s)
echo "build.sh: building talos-go-client with $("$GO" version) (first run fetches modules from ${GOPROXY:-the Go module proxy})" >&2
# -mod=readonly: go.mod/go.sum are committed and must not be rewritten by a build.
# GOFLAGS from the environment still apply (e.g. -buildvcs=false); we pass
# -buildvcs=false too since bin/ is built from a subdirectory of a larger repo.
CGO_ENABLED=0 "$GO" build -trimpath -mod=readonly -buildvcs=false -o "$bin.tmp" .
mv -f "$bin.tmp" "$bin"
echo "build.sh: built $bin in $(( $(date +%s) - start ))s" >&2
echo "$bin"
