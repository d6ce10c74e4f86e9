import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { IDENTITY_ID, type IdentitySpec, identityKind } from "@talos/machinery/resources";
import { type Controller, newPointer, newResource } from "@talos/runtime";
import { writeFileAtomic } from "../os/write-file-atomic.ts";

/** Where Talos keeps the node identity in STATE; wiping STATE gives the node a new one. */
export const NODE_IDENTITY_FILE = "node-identity.yaml";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** base62 of the bytes read as one big-endian number. */
export function base62(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let out = "";
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out || "0";
}

/** The identity stored in STATE, or a new one (saved first, so it survives restarts). */
export async function loadOrCreateIdentity(stateDir: string): Promise<IdentitySpec> {
  const path = join(stateDir, NODE_IDENTITY_FILE);
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw e;
  });
  if (text !== undefined) {
    const nodeId = /^nodeId:\s*["']?([0-9A-Za-z]+)["']?\s*$/m.exec(text)?.[1];
    if (nodeId !== undefined) return { nodeId };
    throw new Error(`${path}: expected "nodeId: <base62>"`);
  }
  const spec = { nodeId: base62(randomBytes(32)) };
  await writeFileAtomic(path, `nodeId: ${spec.nodeId}\n`, 0o600);
  return spec;
}

/** cluster.NodeIdentityController: `Identity/local`, the node's ID in discovery. */
export function nodeIdentityController(stateDir: string): Controller {
  return {
    name: "cluster.NodeIdentityController",
    inputs: [],
    outputs: [{ type: identityKind.kind.type, kind: "exclusive" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        const spec = await loadOrCreateIdentity(stateDir);
        await rt.modify(newResource(newPointer(identityKind.kind, IDENTITY_ID), spec), (r) => {
          r.spec = spec;
        });
        rt.resetRestartBackoff();
      }
    },
  };
}
