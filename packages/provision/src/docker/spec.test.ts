import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCidr } from "../net.ts";
import type { ClusterRequest, NodeRequest } from "../provisioner.ts";
import { clusterLabels, labelFilters, nodeLabels, nodeTypeFromLabel } from "./labels.ts";
import { containerSpec, networkSpec, podmanSafeCommand, publishedPorts, talosSku } from "./spec.ts";

const cp: NodeRequest = {
  name: "talos-default-controlplane-1",
  type: "controlplane",
  ip: "10.5.0.2",
  config: "version: v1alpha1\n",
  memoryBytes: 2048 * 1024 * 1024,
  nanoCpus: 2e9,
};
const worker: NodeRequest = { name: "talos-default-worker-1", type: "worker", ip: "10.5.0.3" };
const req: ClusterRequest = {
  name: "talos-default",
  cidr: "10.5.0.0/24",
  mtu: 1450,
  image: "ghcr.io/siderolabs/talos:v1.6.7",
  nodes: [cp, worker],
};

describe("docker spec", () => {
  it("formats TALOSSKU as Talos does", () => {
    assert.equal(talosSku(2e9, 2048 * 1024 * 1024), "2CPU-2048RAM");
    assert.equal(talosSku(1.5e9, 1536 * 1024 * 1024 + 5), "1CPU-1536RAM");
    assert.equal(talosSku(), "0CPU-0RAM");
  });

  it("builds Talos's labels and filters", () => {
    assert.deepEqual(clusterLabels("c"), { "talos.owned": "true", "talos.cluster.name": "c" });
    assert.deepEqual(nodeLabels("c", "worker"), {
      "talos.owned": "true",
      "talos.cluster.name": "c",
      "talos.type": "worker",
    });
    assert.deepEqual(labelFilters("c"), { label: ["talos.owned=true", "talos.cluster.name=c"] });
    assert.deepEqual(labelFilters(), { label: ["talos.owned=true"] });
    assert.equal(nodeTypeFromLabel("init"), "controlplane");
    assert.equal(nodeTypeFromLabel("worker"), "worker");
  });

  it("builds the network: bridge, subnet, gateway .1, MTU option, labels", () => {
    assert.deepEqual(networkSpec(req, parseCidr(req.cidr)), {
      Name: "talos-default",
      Driver: "bridge",
      CheckDuplicate: true,
      IPAM: { Driver: "default", Config: [{ Subnet: "10.5.0.0/24", Gateway: "10.5.0.1" }] },
      Options: { "com.docker.network.driver.mtu": "1450" },
      Labels: { "talos.owned": "true", "talos.cluster.name": "talos-default" },
    });
  });

  it("publishes 50000 and 6443 on the first control plane only, plus each node's own", () => {
    assert.deepEqual(
      publishedPorts(cp, true, true).map((p) => p.host),
      [50000, 6443],
    );
    assert.deepEqual(publishedPorts(cp, true, false), []);
    const extra = { ...worker, ports: [{ host: 8080, container: 80, protocol: "tcp" as const }] };
    assert.deepEqual(publishedPorts(extra, false, true), extra.ports);
  });

  it("builds a node container like Talos's docker provisioner", () => {
    const spec = containerSpec(req, cp, { ports: publishedPorts(cp, true, true), hostIp: "0.0.0.0" });
    assert.equal(spec.name, cp.name);
    assert.equal(spec.Hostname, cp.name);
    assert.equal(spec.Image, req.image);
    assert.deepEqual(spec.Env, [
      "PLATFORM=container",
      "TALOSSKU=2CPU-2048RAM",
      `USERDATA=${Buffer.from(cp.config!).toString("base64")}`,
    ]);
    assert.deepEqual(spec.Labels, nodeLabels("talos-default", "controlplane"));
    assert.deepEqual(Object.keys(spec.Volumes!), [
      "/var",
      "/system/state",
      "/etc/cni",
      "/etc/kubernetes",
      "/usr/libexec/kubernetes",
      "/opt",
    ]);
    assert.equal(spec.StopSignal, "SIGTERM");
    assert.equal(spec.StopTimeout, 10);
    assert.equal(spec.MacAddress, "02:42:0a:05:00:02");
    assert.deepEqual(spec.ExposedPorts, { "50000/tcp": {}, "6443/tcp": {} });
    assert.equal(spec.Entrypoint, undefined);
    const hc = spec.HostConfig!;
    assert.equal(hc.Privileged, true);
    assert.deepEqual(hc.SecurityOpt, ["seccomp=unconfined"]);
    assert.equal(hc.ReadonlyRootfs, true);
    assert.deepEqual(hc.Tmpfs, { "/run": "", "/system": "", "/tmp": "" });
    assert.equal(hc.Memory, 2048 * 1024 * 1024);
    assert.equal(hc.NanoCpus, 2e9);
    assert.equal(hc.NetworkMode, "talos-default");
    assert.deepEqual(hc.RestartPolicy, { Name: "no" });
    assert.deepEqual(hc.PortBindings, {
      "50000/tcp": [{ HostIp: "0.0.0.0", HostPort: "50000" }],
      "6443/tcp": [{ HostIp: "0.0.0.0", HostPort: "6443" }],
    });
    assert.deepEqual(spec.NetworkingConfig, {
      EndpointsConfig: {
        "talos-default": { IPAMConfig: { IPv4Address: "10.5.0.2" }, MacAddress: "02:42:0a:05:00:02" },
      },
    });
  });

  it("leaves USERDATA, limits and ports out when not asked for (maintenance mode)", () => {
    const spec = containerSpec(req, worker, { ports: [], hostIp: "0.0.0.0" });
    assert.deepEqual(spec.Env, ["PLATFORM=container", "TALOSSKU=0CPU-0RAM"]);
    assert.equal(spec.HostConfig!.Memory, undefined);
    assert.equal(spec.HostConfig!.NanoCpus, undefined);
    assert.deepEqual(spec.HostConfig!.PortBindings, {});
    assert.deepEqual(spec.Labels!["talos.type"], "worker");
  });

  it("respells commands that would switch podman into systemd mode", () => {
    assert.deepEqual(podmanSafeCommand(["/sbin/init"], null), { Entrypoint: ["/sbin/./init"], Cmd: [] });
    assert.deepEqual(podmanSafeCommand(null, ["/usr/sbin/init", "--x"]), {
      Entrypoint: [],
      Cmd: ["/usr/sbin/./init", "--x"],
    });
    assert.deepEqual(podmanSafeCommand(["/lib/systemd/systemd"], ["a"]), {
      Entrypoint: ["/lib/systemd/./systemd"],
      Cmd: ["a"],
    });
    assert.equal(podmanSafeCommand(["/sbin/machined"], ["/sbin/init"]), undefined);
    assert.equal(podmanSafeCommand(["/bin/init"], null), undefined);
    assert.equal(podmanSafeCommand(null, null), undefined);
    const spec = containerSpec(req, worker, {
      ports: [],
      hostIp: "0.0.0.0",
      command: { Entrypoint: ["/sbin/./init"], Cmd: [] },
    });
    assert.deepEqual([spec.Entrypoint, spec.Cmd], [["/sbin/./init"], []]);
  });
});
