import { gzipSync } from "node:zlib";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { type Data, DataSchema } from "@talos/machinery/api";
import { generateAdminKubeconfig } from "@talos/machinery/kubernetes";
import { createTar } from "nanotar";
import type { NodeConfig } from "../node/machine-config.ts";

/**
 * machine.MachineService/Kubeconfig: one `common.Data` holding a gzip'd tar with a single file,
 * `kubeconfig` (0600): an admin kubeconfig with a certificate minted for this call.
 */
export async function* kubeconfigStream(config: NodeConfig): AsyncIterable<Data> {
  if (config.machineType === "worker" || config.kubernetesCA === undefined) {
    throw new ConnectError("kubeconfig is only available on control plane nodes", Code.Unimplemented);
  }
  const text = await generateAdminKubeconfig({
    clusterName: config.clusterName ?? "",
    endpoint: config.clusterEndpoint,
    kubernetesCA: config.kubernetesCA,
  });
  const tar = createTar([
    { name: "kubeconfig", data: new TextEncoder().encode(text), attrs: { mode: "600", mtime: Date.now() } },
  ]);
  yield create(DataSchema, { bytes: gzipSync(tar) });
}
