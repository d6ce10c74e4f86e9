// Maintenance mode (`--insecure`, `--cert-fingerprint`) against a fake node that serves TLS without
// client certificates: apply-config, version, disks and get, with and without fingerprint pinning.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  ApplyConfigurationRequest_Mode,
  cosi,
  cosiMeta,
  Disk_DiskType,
  MachineService,
  StorageService,
} from "@talos/machinery/api";
import { type FakeApid, startFakeApid } from "./fake-apid.ts";
import { runTalosctl } from "./harness.ts";

const RD_TYPE = "ResourceDefinitions.meta.cosi.dev";
const MS_TYPE = "MachineStatuses.runtime.talos.dev";

describe("talosctl in maintenance mode (--insecure)", () => {
  let node: FakeApid;
  const applied: { data: string; mode: number }[] = [];

  before(async () => {
    node = await startFakeApid({
      insecure: true,
      routes: (router) => {
        router.service(MachineService, {
          applyConfiguration: (req) => {
            applied.push({ data: new TextDecoder().decode(req.data), mode: req.mode });
            return { messages: [{ mode: req.mode, modeDetails: "Applied configuration without a reboot" }] };
          },
          version: () => ({ messages: [{ version: { tag: "v1.6.7", sha: "abc", os: "linux", arch: "amd64" } }] }),
        });
        router.service(StorageService, {
          disks: () => ({
            messages: [{ disks: [{ deviceName: "/dev/vda", size: 10_000_000_000n, type: Disk_DiskType.HDD }] }],
          }),
        });
        router.service(cosi.State, {
          async *list(req) {
            if (req.type === RD_TYPE) {
              const spec = create(cosiMeta.ResourceDefinitionSpecSchema, {
                resourceType: MS_TYPE,
                displayType: "MachineStatus",
                defaultNamespace: "runtime",
                aliases: ["machinestatus"],
                allAliases: ["machinestatus", "machinestatuses"],
                printColumns: [{ name: "Stage", jsonPath: "{.stage}" }],
              });
              yield {
                resource: {
                  metadata: { namespace: "meta", type: RD_TYPE, id: "machinestatuses.runtime.talos.dev", version: "1" },
                  spec: { protoSpec: toBinary(cosiMeta.ResourceDefinitionSpecSchema, spec), yamlSpec: "" },
                },
              };
              return;
            }
            yield {
              resource: {
                metadata: { namespace: "runtime", type: MS_TYPE, id: "machine", version: "2" },
                spec: { yamlSpec: "stage: maintenance\nstatus:\n    ready: false\n" },
              },
            };
          },
        });
      },
    });
    await writeFile(join(node.dir, "worker.yaml"), "version: v1alpha1\nmachine:\n    type: worker\n");
  });
  after(async () => node.close());

  // No talosconfig exists in the cwd/HOME: maintenance mode needs none.
  const run = (...args: string[]) => runTalosctl(args, { cwd: node.dir });

  it("apply-config --insecure sends the file to each node as endpoint, without node metadata", async () => {
    const r = await run("apply-config", "--insecure", "-n", node.endpoint, "-f", "worker.yaml", "--mode", "reboot");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "Applied configuration without a reboot\n");
    assert.equal(applied.at(-1)?.data, "version: v1alpha1\nmachine:\n    type: worker\n");
    assert.equal(applied.at(-1)?.mode, ApplyConfigurationRequest_Mode.REBOOT);
    const call = node.calls.findLast((c) => c.path === "/machine.MachineService/ApplyConfiguration");
    assert.ok(call);
    assert.equal(call.headers["nodes"], undefined);
    assert.equal(call.headers["node"], undefined);
  });

  it("--cert-fingerprint accepts the node's SPKI fingerprint and refuses any other before sending", async () => {
    const ok = await run(
      "apply-config",
      "-i",
      "-n",
      node.endpoint,
      "-f",
      "worker.yaml",
      "--cert-fingerprint",
      node.fingerprint,
    );
    assert.equal(ok.code, 0, ok.stderr);

    const before = node.calls.length;
    const wrong = Buffer.alloc(32, 1).toString("base64");
    const bad = await run("apply-config", "-i", "-n", node.endpoint, "-f", "worker.yaml", "--cert-fingerprint", wrong);
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr,
      "error: error applying new configuration: rpc error: code = Unavailable desc = connection error: desc = " +
        `"transport: authentication handshake failed: leaf peer certificate doesn't match the provided fingerprints: [${wrong}]"\n`,
    );
    assert.equal(node.calls.length, before, "nothing reached the node");

    const invalid = await run(
      "apply-config",
      "-i",
      "-n",
      node.endpoint,
      "-f",
      "worker.yaml",
      "--cert-fingerprint",
      "a!b",
    );
    assert.equal(invalid.code, 1);
    assert.equal(
      invalid.stderr,
      'error: error parsing certificate fingerprint "a!b": illegal base64 data at input byte 1\n',
    );
  });

  it("version, disks and get take --insecure too", async () => {
    const v = await run("version", "--insecure", "-n", node.endpoint, "--short");
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout, "Client:\n\tTalos v1.6.7\nServer:\n\tNODE:        127.0.0.1\n\tTalos v1.6.7\n");

    const disks = await run("disks", "-i", "-n", node.endpoint);
    assert.equal(disks.code, 0, disks.stderr);
    assert.match(disks.stdout, /^DEV {8}MODEL +SERIAL +TYPE .*SYSTEM_DISK\n\/dev\/vda +- +- +HDD +.*10 GB/);

    const get = await run("get", "--insecure", "-n", node.endpoint, "machinestatus");
    assert.equal(get.code, 0, get.stderr);
    assert.equal(
      get.stdout,
      `NODE              NAMESPACE   TYPE            ID        VERSION   STAGE\n${node.endpoint}   runtime     MachineStatus   machine   2         maintenance\n`,
    );
  });
});
