#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build talosctl and machined, and create a local
# Talos cluster (1 control plane + 1 worker, container nodes on Docker or podman) with `talosctl cluster
# create`, Talos's Quickstart. Extra arguments go to `cluster create` (e.g. --controlplanes 3 --workers 2).
set -euo pipefail
cd "$(dirname "$0")/.."
./hack/deps.sh
npm run --silent build
./talosctl cluster create "$@"
cat <<'MSG'

The cluster is up and your talosconfig (~/.talos/config) points at it. Try:
  ./talosctl -n 10.5.0.2 get members
  ./talosctl -n 10.5.0.2,10.5.0.3 service
  ./talosctl -n 10.5.0.2 etcd members
  ./talosctl -n 10.5.0.2 logs etcd
  ./talosctl -n 10.5.0.2 get rd
  ./talosctl cluster show
Remove it with:
  ./talosctl cluster destroy
MSG
