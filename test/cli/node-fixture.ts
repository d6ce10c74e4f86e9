// The canned node behind the node-management CLI tests: a fake apid serving MachineService, StorageService
// and TimeService with fixed data for nodes 10.5.0.2 and 10.5.0.3; node 10.5.0.9 is unreachable (every
// call to it comes back as apid's error element).
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import {
  Disk_DiskType,
  EtcdMemberAlarm_AlarmType,
  MachineService,
  MachineStatusEvent_MachineStage,
  MachineStatusEventSchema,
  ServiceStateEvent_Action,
  ServiceStateEventSchema,
  StorageService,
  TimeService,
} from "@talos/machinery/api";
import { fanOut, fanOutStream, tarGzOneFile } from "./fake-apid.ts";

export const DOWN_NODE = "10.5.0.9";

export const DOWN_ERROR = new ConnectError(
  'connection error: desc = "transport: Error while dialing: dial tcp 10.5.0.9:50000: connect: connection refused"',
  Code.Unavailable,
);

/** What the fixture recorded of the requests it served, for assertions. */
export interface Recorded {
  reboot?: unknown;
  reset?: unknown;
  shutdown?: unknown;
  upgrade?: unknown;
  bootstrap?: unknown;
  recoverBytes?: number;
  removeById?: bigint;
  removeByName?: string;
  logs?: unknown;
  events?: unknown;
}

/** A snapshot whose size passes etcd's `size % 512 == 32` check. */
export const SNAPSHOT = new Uint8Array(512 + 32).fill(7);

export interface NodeFixtureOptions {
  /** The kubeconfig the Kubeconfig RPC returns. */
  kubeconfig?: () => string;
  /** Server version tag (for the client version check). */
  serverTag?: string;
}

export function nodeFixture(rec: Recorded, opts: NodeFixtureOptions = {}): (router: ConnectRouter) => void {
  const down = (node: string) => node === DOWN_NODE;
  return (router) => {
    router.service(MachineService, {
      version: (_req, ctx) =>
        fanOut(ctx, (node) =>
          down(node)
            ? DOWN_ERROR
            : { version: { tag: opts.serverTag ?? "v1.6.7", sha: "abc", os: "linux", arch: "amd64" } },
        ),
      serviceList: (_req, ctx) =>
        fanOut(ctx, (node) => {
          if (down(node)) return DOWN_ERROR;
          const now = Date.now();
          return {
            services: [
              {
                id: "apid",
                state: "Running",
                health: { healthy: true, lastMessage: "" },
                events: {
                  events: [
                    { msg: "Starting service", state: "Starting", ts: timestampFromMs(now - 3_725_000) },
                    { msg: "Health check successful", state: "Running", ts: timestampFromMs(now - 65_000) },
                  ],
                },
              },
              {
                id: "etcd",
                state: "Preparing",
                health: { unknown: true, lastMessage: "waiting for time sync" },
                events: {
                  events: [{ msg: "Running pre state", state: "Preparing", ts: timestampFromMs(now - 5_000) }],
                },
              },
            ],
          };
        }),
      serviceStart: (req, ctx) =>
        fanOut(ctx, (node) => (down(node) ? DOWN_ERROR : { resp: `Service ${JSON.stringify(req.id)} started` })),
      serviceRestart: (req, ctx) =>
        fanOut(ctx, (node) => (down(node) ? DOWN_ERROR : { resp: `Service ${JSON.stringify(req.id)} restarted` })),
      logs: (req, ctx) => {
        rec.logs = req;
        // Chunks split mid-line: the client re-assembles lines per node.
        return fanOutStream(ctx, (node) =>
          down(node)
            ? DOWN_ERROR
            : [
                { bytes: new TextEncoder().encode(`${req.id} line one\n${req.id} li`) },
                { bytes: new TextEncoder().encode("ne two\r\nlast without newline") },
              ],
        );
      },
      dmesg: (_req, ctx) =>
        fanOutStream(ctx, (node) =>
          down(node)
            ? DOWN_ERROR
            : [{ bytes: new TextEncoder().encode("kern:    info: [2024-01-02T03:04:05.000000006Z]: hello\n") }],
        ),
      events: (req, ctx) => {
        rec.events = req;
        return fanOutStream(ctx, (node) =>
          down(node)
            ? DOWN_ERROR
            : [
                { id: "", actorId: "" },
                {
                  id: "cmn3aq1p8ud4k6j0n2kg",
                  actorId: "",
                  data: {
                    typeUrl: "talos/runtime/machine.ServiceStateEvent",
                    value: toBinary(
                      ServiceStateEventSchema,
                      create(ServiceStateEventSchema, {
                        service: "etcd",
                        action: ServiceStateEvent_Action.RUNNING,
                        message: "Health check successful",
                      }),
                    ),
                  },
                },
                {
                  id: "cmn3aq1p8ud4k6j0n2l0",
                  actorId: "8d47a8e1-7f56-4d8e-b8f6-6b6d2e3c1a00",
                  data: {
                    typeUrl: "talos/runtime/machine.MachineStatusEvent",
                    value: toBinary(
                      MachineStatusEventSchema,
                      create(MachineStatusEventSchema, {
                        stage: MachineStatusEvent_MachineStage.RUNNING,
                        status: { ready: false, unmetConditions: [{ name: "time", reason: "not synced" }] },
                      }),
                    ),
                  },
                },
                {
                  id: "x",
                  actorId: "",
                  data: { typeUrl: "talos/runtime/machine.RestartEvent", value: new Uint8Array() },
                },
              ],
        );
      },
      bootstrap: (req, ctx) => {
        rec.bootstrap = req;
        return fanOut(ctx, (node) => (down(node) ? DOWN_ERROR : {}));
      },
      etcdRecover: async (reqs, ctx) => {
        let n = 0;
        for await (const r of reqs) n += r.bytes.length;
        rec.recoverBytes = n;
        return fanOut(ctx, () => ({}));
      },
      kubeconfig: (_req, ctx) =>
        fanOutStream(ctx, (node) => {
          if (down(node)) return DOWN_ERROR;
          const archive = tarGzOneFile("kubeconfig", new TextEncoder().encode(opts.kubeconfig?.() ?? ""));
          // Arbitrary chunk boundaries: the client concatenates.
          return [{ bytes: archive.subarray(0, 10) }, { bytes: archive.subarray(10) }];
        }),
      etcdMemberList: (_req, ctx) =>
        fanOut(ctx, (node) =>
          down(node)
            ? DOWN_ERROR
            : {
                members: [
                  {
                    id: 0x2a6f3c1bd4e5f607n,
                    hostname: "talos-cp-1",
                    peerUrls: ["https://10.5.0.2:2380"],
                    clientUrls: ["https://10.5.0.2:2379"],
                  },
                  {
                    id: 0x3fn,
                    hostname: "talos-cp-2",
                    peerUrls: ["https://10.5.0.3:2380", "https://[fd00::3]:2380"],
                    clientUrls: ["https://10.5.0.3:2379"],
                    isLearner: true,
                  },
                ],
              },
        ),
      etcdStatus: (_req, ctx) =>
        fanOut(ctx, (node) =>
          down(node)
            ? DOWN_ERROR
            : {
                memberStatus: {
                  memberId: node === "10.5.0.3" ? 0x3fn : 0x2a6f3c1bd4e5f607n,
                  protocolVersion: "3.5.0",
                  dbSize: 20_480_000n,
                  dbSizeInUse: 5_120_000n,
                  leader: 0x2a6f3c1bd4e5f607n,
                  raftIndex: 1234n,
                  raftTerm: 2n,
                  raftAppliedIndex: 1234n,
                  errors: [],
                },
              },
        ),
      etcdAlarmList: (_req, ctx) =>
        fanOut(ctx, (node) =>
          down(node) ? DOWN_ERROR : { memberAlarms: [{ memberId: 0x3fn, alarm: EtcdMemberAlarm_AlarmType.NOSPACE }] },
        ),
      etcdAlarmDisarm: (_req, ctx) =>
        fanOut(ctx, (node) =>
          down(node) ? DOWN_ERROR : { memberAlarms: [{ memberId: 0x3fn, alarm: EtcdMemberAlarm_AlarmType.NOSPACE }] },
        ),
      etcdForfeitLeadership: (_req, ctx) => fanOut(ctx, (node) => (down(node) ? DOWN_ERROR : { member: "talos-cp-2" })),
      etcdRemoveMemberByID: (req, ctx) => {
        rec.removeById = req.memberId;
        return fanOut(ctx, () =>
          req.memberId === 0x3fn
            ? {}
            : new ConnectError(`member ${req.memberId.toString(16)} not found`, Code.NotFound),
        );
      },
      etcdRemoveMember: (req, ctx) => {
        rec.removeByName = req.member;
        return fanOut(ctx, () => ({}));
      },
      etcdSnapshot: (_req, ctx) =>
        fanOutStream(ctx, (node) =>
          down(node) ? DOWN_ERROR : [{ bytes: SNAPSHOT.subarray(0, 100) }, { bytes: SNAPSHOT.subarray(100) }],
        ),
      reboot: (req, ctx) => {
        rec.reboot = req;
        return fanOut(ctx, (node) => (down(node) ? DOWN_ERROR : { actorId: `actor-${node}` }));
      },
      shutdown: (req, ctx) => {
        rec.shutdown = req;
        return fanOut(ctx, (node) => (down(node) ? DOWN_ERROR : { actorId: `actor-${node}` }));
      },
      reset: (req, ctx) => {
        rec.reset = req;
        return fanOut(ctx, (node) => (down(node) ? DOWN_ERROR : { actorId: `actor-${node}` }));
      },
      upgrade: (req, ctx) => {
        rec.upgrade = req;
        return fanOut(ctx, (node) =>
          down(node) ? DOWN_ERROR : { ack: "Upgrade request received", actorId: `actor-${node}` },
        );
      },
      mounts: (_req, ctx) =>
        fanOut(ctx, () => ({
          stats: [
            { filesystem: "/dev/sda6", size: 10_000_000_000n, available: 7_500_000_000n, mountedOn: "/var" },
            { filesystem: "tmpfs", size: 0n, available: 0n, mountedOn: "/run" },
          ],
        })),
      processes: (_req, ctx) =>
        fanOut(ctx, () => ({
          processes: [
            {
              pid: 1,
              state: "S",
              threads: 12,
              cpuTime: 12.5,
              virtualMemory: 1_500_000_000n,
              residentMemory: 90_000_000n,
              command: "machined",
              executable: "/sbin/init",
              args: "",
            },
            {
              pid: 2001,
              state: "S",
              threads: 30,
              cpuTime: 99.123,
              virtualMemory: 800_000_000n,
              residentMemory: 120_000_000n,
              command: "etcd",
              executable: "/usr/local/bin/etcd",
              args: "etcd --data-dir=/var/lib/etcd",
            },
          ],
        })),
      memory: (_req, ctx) =>
        fanOut(ctx, () => ({
          meminfo: {
            memtotal: 4_000_000n,
            memfree: 1_000_000n,
            memavailable: 3_000_000n,
            buffers: 100_000n,
            cached: 900_000n,
            shmem: 10_240n,
            hugepagestotal: 0n,
            hugepagesize: 2048n,
          },
        })),
      list: (req, ctx) =>
        fanOutStream(ctx, () => [
          {
            name: req.root,
            relativeName: ".",
            size: 4096n,
            mode: (2 ** 31 + 0o755) >>> 0,
            modified: 1_700_000_000n,
            isDir: true,
          },
          {
            name: `${req.root}/hosts`,
            relativeName: "hosts",
            size: 2048n,
            mode: 0o644,
            modified: 1_700_000_000n,
          },
          {
            name: `${req.root}/resolv.conf`,
            relativeName: "resolv.conf",
            size: 21n,
            mode: (2 ** 27 + 0o777) >>> 0,
            modified: 1_700_000_000n,
            link: "/system/resolved/resolv.conf",
          },
        ]),
      read: (req, ctx) =>
        fanOutStream(ctx, () =>
          req.path === "/missing"
            ? new ConnectError("open /missing: no such file or directory", Code.Unknown)
            : [{ bytes: new TextEncoder().encode("NAME=Talos\n") }, { bytes: new TextEncoder().encode("ID=talos\n") }],
        ),
      containers: (_req, ctx) =>
        fanOut(ctx, () => ({
          containers: [
            {
              namespace: "system",
              id: "trustd",
              image: "ghcr.io/siderolabs/trustd:v1.6.7",
              pid: 300,
              status: "RUNNING",
              podId: "trustd",
            },
            {
              namespace: "system",
              id: "apid",
              image: "ghcr.io/siderolabs/apid:v1.6.7",
              pid: 200,
              status: "RUNNING",
              podId: "apid",
            },
          ],
        })),
      stats: (_req, ctx) =>
        fanOut(ctx, () => ({
          stats: [{ namespace: "system", id: "apid", memoryUsage: 25_500_000n, cpuUsage: 123456789n, podId: "apid" }],
        })),
    });
    router.service(StorageService, {
      disks: (_req, ctx) =>
        fanOut(ctx, (node) =>
          down(node)
            ? DOWN_ERROR
            : {
                disks: [
                  {
                    size: 10_737_418_240n,
                    model: "QEMU HARDDISK",
                    deviceName: "/dev/sda",
                    serial: "",
                    type: Disk_DiskType.HDD,
                    busPath: "/pci0000:00/0000:00:05.0",
                    subsystem: "/sys/class/block",
                    systemDisk: true,
                  },
                ],
              },
        ),
    });
    router.service(TimeService, {
      time: (_req, ctx) =>
        fanOut(ctx, () => ({
          server: "time.cloudflare.com",
          localtime: { seconds: 1_704_164_645n, nanos: 123_000_000 },
          remotetime: { seconds: 1_704_164_645n, nanos: 0 },
        })),
    });
  };
}
