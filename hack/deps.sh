#!/usr/bin/env bash
# Installs what this checkout needs on a fresh Debian machine: system packages (as root, with apt-get)
# and the npm workspace (which brings the pinned Node 24 runtime). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# openssl: tests verify our certificates with it; tmux: terminal UI tests; time: benchmarks read peak memory;
# etcd-server: the etcd the nodes run; etcd-client: etcdctl, which tests use to check the cluster;
# podman, runc: the container engine local clusters run on here (Docker works too); tini: PID 1 of node images.
packages=(openssl tmux time etcd-server etcd-client podman runc tini)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root or install them with apt-get)" >&2
    exit 1
  fi
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x node_modules/node/bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Go builds test/go-client (Talos's own client library, the wire-compatibility oracle of the API tests).
if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  echo "warning: no Go toolchain (>= 1.21) found; test/cluster/go-client.test.ts will fail until Go is installed" >&2
fi
