// etcd on a control plane node: its certificates, how it starts (new cluster on bootstrap, possibly restored
// from a snapshot; join as a learner; or rejoin with existing data), the learner promotion, and a client for
// the etcd APIs Talos serves.
import { chmod, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@talos/runtime";
import { createEtcdClient, type EtcdClient, type EtcdMember } from "../../etcd/client.ts";
import type { ConfigStore } from "../../node/config-store.ts";
import { clusterEndpointHost } from "../../node/machine-config.ts";
import { ProcessRunner, RestartRunner, type Service } from "../../supervisor/index.ts";
import { ETCD_CLIENT_PORT, type EtcdSpec, etcdArgs, initialClusterEntry, peerUrls } from "./args.ts";
import { type EtcdCertificates, issueEtcdCertificates } from "./pki.ts";
import { restoreSnapshot } from "./restore.ts";

export interface EtcdManagerOptions {
  /** The node's address: advertised to peers and clients. */
  readonly address: string;
  /** Where etcd listens; the node's address when several nodes share a host, else 0.0.0.0. */
  readonly listenAddress: string;
  /** The EPHEMERAL directory (`/var`): etcd's data goes to `<dir>/lib/etcd`. */
  readonly varDir: string;
  /** Where the PKI files go (`/system/secrets/etcd`). */
  readonly pkiDir: string;
  readonly store: ConfigStore;
  readonly hostname: () => Promise<string>;
  readonly logger: Logger;
  readonly etcdBinary?: string;
  /** etcdctl, for `bootstrap --recover-from` (the node image ships it at the same path). */
  readonly etcdctlBinary?: string;
  /** Pause between join attempts (Talos: 3 s) and learner promotion attempts (Talos: 15 s). */
  readonly joinRetryMs?: number;
  readonly promoteRetryMs?: number;
  /** Delay before a crashed etcd is restarted (Talos: 5 s). */
  readonly restartDelayMs?: number;
}

export class EtcdManager {
  readonly #opts: EtcdManagerOptions;
  #certs: EtcdCertificates | undefined;
  #bootstrap = false;
  #client: EtcdClient | undefined;

  constructor(opts: EtcdManagerOptions) {
    this.#opts = opts;
  }

  get dataDir(): string {
    return join(this.#opts.varDir, "lib", "etcd");
  }

  /** Whether etcd has data (a member of a cluster, now or before). */
  async hasData(): Promise<boolean> {
    return readdir(this.dataDir).then(
      (entries) => entries.length > 0,
      () => false,
    );
  }

  /** Where `bootstrap --recover-from` uploads a snapshot (`/var/lib/etcd.snapshot`). */
  get snapshotPath(): string {
    return join(this.#opts.varDir, "lib", "etcd.snapshot");
  }

  /** Whether a snapshot was uploaded for `bootstrap --recover-from` (`EtcdRecover`). */
  async hasSnapshot(): Promise<boolean> {
    return stat(this.snapshotPath).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /**
   * Restores the uploaded snapshot into the empty data directory as a new single-member cluster of this node
   * (its member name and advertised peer URLs); etcd must be stopped. The next start then finds the data.
   */
  async recover(opts: { readonly skipHashCheck: boolean }): Promise<void> {
    const spec = await this.spec();
    const status = await restoreSnapshot({
      etcdctl: this.#opts.etcdctlBinary ?? "/usr/bin/etcdctl",
      snapshotPath: this.snapshotPath,
      dataDir: this.dataDir,
      name: spec.name,
      peerUrls: peerUrls(spec),
      clusterToken: spec.extraArgs["initial-cluster-token"],
      skipHashCheck: opts.skipHashCheck,
    });
    this.#opts.logger.info("recovered etcd from snapshot", {
      hash: status.hash.toString(16).padStart(8, "0"),
      revision: status.revision,
      totalKeys: status.totalKey,
      totalSize: status.totalSize,
    });
  }

  /** Removes etcd's data (after leaving the cluster). */
  async wipeData(): Promise<void> {
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /**
   * Leaves the cluster: removes this member through another one, stops etcd and wipes its data (Talos's
   * `etcd leave` and the graceful part of reset).
   */
  async leave(stopService: () => Promise<void>): Promise<void> {
    const client = await this.localClient();
    const status = await client.status({ timeoutMs: 10_000 });
    const others = (await client.memberList({ timeoutMs: 10_000 })).filter((m) => m.id !== status.memberId);
    if (others.length === 0) throw new Error("cannot leave: this is the only etcd member");
    const via = await this.clientOf(
      others.flatMap((m) => m.clientUrls.map((u) => new URL(u).hostname.replace(/^\[(.*)\]$/, "$1"))),
    );
    try {
      await via.memberRemove(status.memberId, { timeoutMs: 10_000 });
    } finally {
      via.close();
    }
    await stopService();
    await this.wipeData();
    this.#client?.close();
    this.#client = undefined;
  }

  /** Marks the next start as the bootstrap of a new cluster. */
  requestBootstrap(): void {
    this.#bootstrap = true;
  }

  /** A client of the local member (admin certificate). */
  async localClient(): Promise<EtcdClient> {
    const certs = await this.#certificates();
    if (this.#client === undefined) {
      const host = this.#opts.address.includes(":") ? `[${this.#opts.address}]` : this.#opts.address;
      this.#client = createEtcdClient({
        endpoints: [`https://${host}:${ETCD_CLIENT_PORT}`],
        ca: certs.ca,
        cert: certs.admin.cert,
        key: certs.admin.key,
      });
    }
    return this.#client;
  }

  /** A client of other members, through the given addresses. */
  async clientOf(addresses: readonly string[]): Promise<EtcdClient> {
    const certs = await this.#certificates();
    return createEtcdClient({
      endpoints: addresses.map((a) => `https://${a.includes(":") ? `[${a}]` : a}:${ETCD_CLIENT_PORT}`),
      ca: certs.ca,
      cert: certs.admin.cert,
      key: certs.admin.key,
    });
  }

  async spec(): Promise<EtcdSpec> {
    const node = this.#opts.store.active;
    return {
      name: await this.#opts.hostname(),
      advertised: [this.#opts.address],
      listenPeer: [this.#opts.listenAddress],
      listenClient: [this.#opts.listenAddress],
      extraArgs: node.etcd.extraArgs,
    };
  }

  /** The `etcd` service. */
  service(): Service {
    let args: string[] = [];
    return {
      id: "etcd",
      pre: async (signal) => {
        await this.#writePki();
        args = await this.#startArgs(signal);
      },
      runner: (ctx) =>
        new RestartRunner(
          new ProcessRunner({ args: [this.#opts.etcdBinary ?? "/usr/bin/etcd", ...args], env: {}, log: ctx.log }),
          { policy: "Forever", restartDelayMs: this.#opts.restartDelayMs },
        ),
      health: {
        initialDelayMs: 1000,
        periodMs: 5000,
        timeoutMs: 4000,
        check: async (signal) => {
          const client = await this.localClient();
          const status = await client.status({ signal, timeoutMs: 3000 });
          if (status.errors.length > 0) throw new Error(status.errors.join("; "));
          if (status.leader === 0n) throw new Error("etcd has no leader");
        },
      },
    };
  }

  async #certificates(): Promise<EtcdCertificates> {
    if (this.#certs === undefined) {
      const ca = this.#opts.store.active.etcd.ca;
      if (ca === undefined || ca.key === "")
        throw new Error("cluster.etcd.ca is missing: etcd runs only on control plane nodes");
      this.#certs = await issueEtcdCertificates(ca, {
        hostname: await this.#opts.hostname(),
        addresses: [this.#opts.address],
      });
    }
    return this.#certs;
  }

  async #writePki(): Promise<void> {
    const certs = await this.#certificates();
    const dir = this.#opts.pkiDir;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const files: [string, string][] = [
      ["ca.crt", certs.ca],
      ["server.crt", certs.server.cert],
      ["server.key", certs.server.key],
      ["peer.crt", certs.peer.cert],
      ["peer.key", certs.peer.key],
      ["admin.crt", certs.admin.cert],
      ["admin.key", certs.admin.key],
    ];
    for (const [name, data] of files) {
      const path = join(dir, name);
      await chmod(path, 0o600).catch(() => {});
      await writeFile(path, data, { mode: 0o400 });
      await chmod(path, 0o400);
    }
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
  }

  /** Decides how this start joins the cluster; a join waits (retrying) until a member answers. */
  async #startArgs(signal: AbortSignal): Promise<string[]> {
    const spec = await this.spec();
    const paths = { dataDir: this.dataDir, pkiDir: this.#opts.pkiDir };
    if (await this.hasData()) return etcdArgs(spec, paths, { state: "existing" });
    if (this.#bootstrap) {
      this.#opts.logger.info("bootstrapping a new etcd cluster", { name: spec.name });
      return etcdArgs(spec, paths, { state: "new", initialCluster: initialClusterEntry(spec.name, peerUrls(spec)) });
    }
    const members = await this.#join(spec, signal);
    const initialCluster = members
      .map((m) => initialClusterEntry(m.name === "" ? spec.name : m.name, m.peerUrls))
      .filter((e) => e !== "")
      .join(",");
    this.#promoteWhenReady(spec, signal);
    return etcdArgs(spec, paths, { state: "existing", initialCluster });
  }

  /** Adds this node as a learner through a running member (Talos's buildInitialCluster). */
  async #join(spec: EtcdSpec, signal: AbortSignal): Promise<EtcdMember[]> {
    const retryMs = this.#opts.joinRetryMs ?? 3000;
    let lastHint = 0;
    for (;;) {
      if (signal.aborted) throw new Error("context canceled");
      const endpoints = [clusterEndpointHost(this.#opts.store.active)].filter(
        (e) => e !== "" && e !== this.#opts.address,
      );
      try {
        if (endpoints.length === 0) throw new Error("no other control plane endpoint is known yet");
        const client = await this.clientOf(endpoints);
        try {
          const existing = await client.memberList({ signal, timeoutMs: 5000 });
          // A member with our name is a previous incarnation of this node: replace it.
          for (const m of existing.filter((m) => m.name === spec.name))
            await client.memberRemove(m.id, { signal, timeoutMs: 5000 });
          const added = await client.memberAdd(peerUrls(spec), { learner: true }, { signal, timeoutMs: 5000 });
          this.#opts.logger.info("joined etcd cluster as a learner", { member: added.member.id.toString(16) });
          return added.members;
        } finally {
          client.close();
        }
      } catch (e) {
        if (Date.now() - lastHint > 30_000) {
          lastHint = Date.now();
          this.#opts.logger.info(
            "waiting to join etcd; if this is a new cluster, run `talosctl bootstrap` against one control plane node",
            {
              error: (e as Error).message,
            },
          );
        }
      }
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }

  /** Promotes this learner once it has caught up (the learner cannot promote itself through its own member). */
  #promoteWhenReady(spec: EtcdSpec, signal: AbortSignal): void {
    // Talos retries every 15 s; a learner usually catches up within a second or two, so we look sooner.
    const retryMs = this.#opts.promoteRetryMs ?? 3_000;
    const deadline = Date.now() + 10 * 60_000;
    void (async () => {
      while (!signal.aborted && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, retryMs));
        const endpoints = [clusterEndpointHost(this.#opts.store.active)].filter(
          (e) => e !== "" && e !== this.#opts.address,
        );
        const client = await this.clientOf([...endpoints, this.#opts.address]);
        try {
          const members = await client.memberList({ timeoutMs: 5000 });
          const self = members.find((m) => m.peerUrls.some((u) => peerUrls(spec).includes(u)));
          if (self === undefined) continue;
          if (!self.isLearner) return;
          await client.memberPromote(self.id, { timeoutMs: 5000 });
          this.#opts.logger.info("promoted etcd learner to a voting member", { member: self.id.toString(16) });
          return;
        } catch (e) {
          this.#opts.logger.info("etcd learner not promoted yet", { error: (e as Error).message });
        } finally {
          client.close();
        }
      }
    })();
  }
}
