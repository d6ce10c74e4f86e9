#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build talosctl, and generate a cluster's
# secrets and machine configs into _out/ (this becomes `talosctl cluster create` once local clusters land).
set -euo pipefail
cd "$(dirname "$0")/.."
./hack/deps.sh
npm run --silent build
out=_out
mkdir -p "$out"
./talosctl gen secrets -o "$out/secrets.yaml" --force
./talosctl gen config --with-secrets "$out/secrets.yaml" demo https://10.5.0.2:6443 -o "$out" --force
for f in controlplane worker; do
  ./talosctl validate --config "$out/$f.yaml" --mode metal
done
cat <<MSG

Generated in $out/: secrets.yaml, controlplane.yaml, worker.yaml, talosconfig.
Try next:
  ./talosctl machineconfig patch $out/worker.yaml --patch '{"machine":{"network":{"hostname":"worker1"}}}'
  ./talosctl config merge $out/talosconfig && ./talosctl config contexts
  ./talosctl validate --config $out/controlplane.yaml --mode container
MSG
