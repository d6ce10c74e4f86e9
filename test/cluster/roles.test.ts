// Check 2 of the API issue: every method we serve, called with admin, operator, reader and etcd-backup
// certificates, an impersonator, a certificate from another CA and none; results follow Talos's rules.
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { cosi, MachineService } from "@talos/machinery/api";
import {
  createCertificateAuthority,
  decodeCertAndKey,
  issueClientCertificate,
  loadCertificateAuthority,
} from "@talos/machinery/secrets";
import { clusterSecrets, startCluster, type TestCluster } from "./harness.ts";

type Outcome = "ok" | Code | "tls";

function transport(address: string, ca: string, client?: { crt: string; key: string }): Transport {
  return createGrpcTransport({
    baseUrl: `https://${address}:50000`,
    nodeOptions: {
      ca,
      ...(client !== undefined
        ? { cert: client.crt, key: client.key.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY") }
        : {}),
    },
  });
}

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    await call();
    return "ok";
  } catch (e) {
    if (!(e instanceof ConnectError)) throw e;
    // A refused client certificate surfaces as a transport failure, not as a gRPC status from the server.
    if (/certificate|alert|handshake|stream closed|ECONNRESET|socket/i.test(e.rawMessage)) return "tls";
    return e.code;
  }
}

/** Every method we serve, as a call through a given transport. */
function calls(t: Transport): Record<string, () => Promise<unknown>> {
  const machine = createClient(MachineService, t);
  const state = createClient(cosi.State, t);
  const drain = async (it: AsyncIterable<unknown>) => {
    for await (const _ of it) break;
  };
  const hostname = { namespace: "network", type: "HostnameStatuses.net.talos.dev" };
  const machineConfig = { namespace: "config", type: "MachineConfigs.config.talos.dev" };
  const resource = { metadata: { ...hostname, id: "x", version: "1", phase: "running" }, spec: {} };
  return {
    "MachineService/Version": () => machine.version({}),
    "MachineService/Hostname": () => machine.hostname({}),
    "State/Get hostname": () => state.get({ ...hostname, id: "hostname" }),
    "State/List hostname": () => drain(state.list(hostname)),
    "State/Watch hostname": () => drain(state.watch({ ...hostname, id: "hostname", apiVersion: 1 })),
    "State/Get machineconfig (sensitive)": () => state.get({ ...machineConfig, id: "v1alpha1" }),
    "State/List machineconfig (sensitive)": () => drain(state.list(machineConfig)),
    "State/Create": () => state.create({ resource }),
    "State/Update": () => state.update({ newResource: resource }),
    "State/Destroy": () => state.destroy({ ...hostname, id: "hostname" }),
  };
}

const OK = "ok";
const DENIED = Code.PermissionDenied;
/** Expected outcome per method for admin, operator, reader, etcd:backup. */
const MATRIX: Record<string, [Outcome, Outcome, Outcome, Outcome]> = {
  "MachineService/Version": [OK, OK, OK, DENIED],
  "MachineService/Hostname": [OK, OK, OK, DENIED],
  "State/Get hostname": [OK, OK, OK, DENIED],
  "State/List hostname": [OK, OK, OK, DENIED],
  "State/Watch hostname": [OK, OK, OK, DENIED],
  "State/Get machineconfig (sensitive)": [OK, DENIED, DENIED, DENIED],
  "State/List machineconfig (sensitive)": [OK, DENIED, DENIED, DENIED],
  // Writes are refused for everyone: non-admins by the authorizer, admins by the read-only filter.
  "State/Create": [DENIED, DENIED, DENIED, DENIED],
  "State/Update": [DENIED, DENIED, DENIED, DENIED],
  "State/Destroy": [DENIED, DENIED, DENIED, DENIED],
};
const ROLES = ["os:admin", "os:operator", "os:reader", "os:etcd:backup"] as const;

describe("role matrix", () => {
  let cluster: TestCluster;
  let address: string;
  let ca: string;
  let osCA: ReturnType<typeof loadCertificateAuthority>;
  before(async () => {
    cluster = await startCluster(42, 1);
    address = cluster.nodes[0]?.address ?? "";
    const secrets = await clusterSecrets(cluster);
    osCA = loadCertificateAuthority(decodeCertAndKey(secrets.osCA));
    ca = osCA.crt;
  });
  after(() => cluster?.cleanup());

  for (const [i, role] of ROLES.entries()) {
    it(`a ${role} certificate gets Talos's answer on every method`, async () => {
      const cert = await issueClientCertificate(osCA, { roles: [role] });
      const got: Record<string, Outcome> = {};
      const want: Record<string, Outcome | "missing"> = {};
      for (const [name, call] of Object.entries(calls(transport(address, ca, cert)))) {
        got[name] = await outcome(call);
        want[name] = MATRIX[name]?.[i] ?? "missing";
      }
      assert.deepEqual(got, want);
    });
  }

  it("writes are refused with Talos's message, and an admin sees why", async () => {
    const admin = await issueClientCertificate(osCA, { roles: ["os:admin"] });
    const state = createClient(cosi.State, transport(address, ca, admin));
    await assert.rejects(
      state.destroy({ namespace: "network", type: "HostnameStatuses.net.talos.dev", id: "hostname" }),
      {
        rawMessage: "write access is not allowed",
      },
    );
    const reader = await issueClientCertificate(osCA, { roles: ["os:reader"] });
    const readerState = createClient(cosi.State, transport(address, ca, reader));
    await assert.rejects(
      readerState.get({ namespace: "config", type: "MachineConfigs.config.talos.dev", id: "v1alpha1" }),
      {
        code: Code.PermissionDenied,
      },
    );
    await assert.rejects(readerState.get({ namespace: "network", type: "NoSuchThings.talos.dev", id: "x" }), {
      code: Code.PermissionDenied,
      rawMessage: 'resource type "NoSuchThings.talos.dev" is not supported',
    });
  });

  it("a certificate with no known role, and an impersonator without asserted roles, are refused", async () => {
    for (const roles of [["os:nobody"], ["os:impersonator"]]) {
      const cert = await issueClientCertificate(osCA, { roles });
      const machine = createClient(MachineService, transport(address, ca, cert));
      await assert.rejects(machine.version({}), { code: Code.PermissionDenied, rawMessage: "not authorized" });
    }
  });

  it("an impersonator may assert roles in talos-role metadata", async () => {
    const cert = await issueClientCertificate(osCA, { roles: ["os:impersonator"] });
    const machine = createClient(MachineService, transport(address, ca, cert));
    const reply = await machine.version({}, { headers: { "talos-role": "os:reader" } });
    assert.equal(reply.messages[0]?.version?.tag, "v1.6.7");
    // Asserting roles does not help anyone else.
    const reader = await issueClientCertificate(osCA, { roles: ["os:reader"] });
    const state = createClient(cosi.State, transport(address, ca, reader));
    await assert.rejects(
      state.get(
        { namespace: "config", type: "MachineConfigs.config.talos.dev", id: "v1alpha1" },
        { headers: { "talos-role": "os:admin" } },
      ),
      { code: Code.PermissionDenied },
    );
  });

  it("a certificate from another CA and no certificate at all are refused at the TLS handshake", async () => {
    const rogue = await createCertificateAuthority({ organization: ["talos"], lifetimeMs: 86_400_000 });
    const rogueCert = await issueClientCertificate(rogue, { roles: ["os:admin"] });
    for (const t of [transport(address, ca, rogueCert), transport(address, ca)]) {
      for (const call of Object.values(calls(t))) assert.equal(await outcome(call), "tls");
    }
  });

  it("COSI methods are never fanned out to several nodes", async () => {
    const admin = await issueClientCertificate(osCA, { roles: ["os:admin"] });
    const state = createClient(cosi.State, transport(address, ca, admin));
    await assert.rejects(
      state.get(
        { namespace: "network", type: "HostnameStatuses.net.talos.dev", id: "hostname" },
        { headers: { nodes: address } },
      ),
      { code: Code.InvalidArgument, rawMessage: "one-2-many proxying is not supported for COSI methods" },
    );
  });
});
