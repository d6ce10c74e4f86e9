import { open, rename, rm } from "node:fs/promises";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import {
  type EtcdMemberAlarm,
  EtcdMemberAlarm_AlarmType,
  type EtcdMembers,
  type EtcdStatus,
  MachineService,
  type Metadata,
} from "@talos/machinery/api";
import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { enumName, formatMemberId, goQuote, humanizeBytes } from "../output/go-format.ts";
import {
  callNodes,
  callNodesOrFail,
  endpointHost,
  failIfMultiNodes,
  finishWithNodeErrors,
  metadataErrorCode,
  requireNodes,
  splitReplies,
} from "../transport/node-replies.ts";
import { readNodeStream, streamErrors } from "../transport/node-streams.ts";
import { multiNodeError, toCliError } from "../transport/rpc-error.ts";
import { connect, nodesHeaders, type TalosConnection } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";

type Machine = Client<typeof MachineService>;

interface Session {
  readonly conn: TalosConnection;
  readonly nodes: string[];
  readonly client: Machine;
  readonly headers: Headers;
}

async function session(cmd: Command): Promise<Session> {
  const conn = await connect(cmd);
  const nodes = requireNodes(conn);
  return { conn, nodes, client: createClient(MachineService, conn.transport), headers: nodesHeaders(conn, nodes) };
}

/** `talosctl etcd ...`: membership, status, alarms, defragmentation and snapshots of the etcd cluster. */
export function registerEtcd(root: Command): void {
  const etcd = new Command("etcd").description("Manage etcd");

  const alarm = new Command("alarm").description("Manage etcd alarms");
  alarm.addCommand(
    new Command("list").description("List the etcd alarms for the node.").action(async (_f, cmd: Command) => {
      const s = await session(cmd);
      const { ok, errors } = await callNodes("error getting alarms", () =>
        s.client.etcdAlarmList({}, { headers: s.headers }),
      );
      process.stdout.write(alarmTable(ok));
      finishWithNodeErrors(errors);
    }),
  );
  alarm.addCommand(
    new Command("disarm").description("Disarm the etcd alarms for the node.").action(async (_f, cmd: Command) => {
      const s = await session(cmd);
      const { ok, errors } = await callNodes("error disarming alarms", () =>
        s.client.etcdAlarmDisarm({}, { headers: s.headers }),
      );
      process.stdout.write(alarmTable(ok));
      finishWithNodeErrors(errors);
    }),
  );
  etcd.addCommand(alarm);

  etcd.addCommand(
    new Command("defrag")
      .summary("Defragment etcd database on the node")
      .description(
        "Defragmentation is a maintenance operation that releases unused space from the etcd database file.\n" +
          "Defragmentation is a resource heavy operation and should be performed only when necessary on a single node at a time.",
      )
      .action(async (_f, cmd: Command) => {
        const s = await session(cmd);
        failIfMultiNodes(s.nodes, "etcd defrag");
        await callNodesOrFail(undefined, () => s.client.etcdDefragment({}, { headers: s.headers }));
      }),
  );

  etcd.addCommand(
    new Command("forfeit-leadership")
      .description("Tell node to forfeit etcd cluster leadership")
      .action(async (_f, cmd: Command) => {
        const s = await session(cmd);
        await callNodesOrFail(undefined, () => s.client.etcdForfeitLeadership({}, { headers: s.headers }));
      }),
  );

  etcd.addCommand(
    new Command("leave").description("Tell nodes to leave etcd cluster").action(async (_f, cmd: Command) => {
      const s = await session(cmd);
      failIfMultiNodes(s.nodes, "etcd leave");
      await callNodesOrFail(undefined, () => s.client.etcdLeaveCluster({}, { headers: s.headers }));
    }),
  );

  etcd.addCommand(
    new Command("members").description("Get the list of etcd cluster members").action(async (_f, cmd: Command) => {
      const s = await session(cmd);
      const { ok, errors } = await callNodes("error getting members", () =>
        s.client.etcdMemberList({ queryLocal: true }, { headers: s.headers }),
      );
      process.stdout.write(membersTable(ok));
      finishWithNodeErrors(errors);
    }),
  );

  etcd.addCommand(
    new Command("remove-member")
      .summary("Remove the node from etcd cluster")
      .description(
        "Use this command only if you want to remove a member which is in broken state.\n" +
          "If there is no access to the node, or the node can't access etcd to call etcd leave.\n" +
          "Always prefer etcd leave over this command.\n" +
          "It's always better to use member ID than hostname, as hostname might not be set consistently.",
      )
      .argument("<member ID>|<hostname>")
      .action(async (member: string, _f, cmd: Command) => {
        const s = await session(cmd);
        await removeMember(s, member);
      }),
  );

  etcd.addCommand(
    new Command("snapshot")
      .description("Stream snapshot of the etcd node to the path.")
      .argument("<path>")
      .action(async (path: string, _f, cmd: Command) => {
        const s = await session(cmd);
        failIfMultiNodes(s.nodes, "etcd snapshot");
        await snapshot(s, path);
      }),
  );

  etcd.addCommand(
    new Command("status")
      .summary("Get the status of etcd cluster member")
      .description("Returns the status of etcd member on the node, use multiple nodes to get status of all members.")
      .action(async (_f, cmd: Command) => {
        const s = await session(cmd);
        const { ok, errors } = await callNodes("error getting status", () =>
          s.client.etcdStatus({}, { headers: s.headers }),
        );
        process.stdout.write(statusTable(ok));
        finishWithNodeErrors(errors);
      }),
  );

  root.addCommand(etcd);
}

function hostnameOf(md: Metadata | undefined): string {
  return md?.hostname ?? "";
}

/**
 * `etcd members`: `NODE ID HOSTNAME PEER URLS CLIENT URLS LEARNER` (NODE only for replies naming a node),
 * IDs as 16-digit hex; the header comes with the first member.
 */
export function membersTable(messages: readonly EtcdMembers[]): string {
  const rows: string[][] = [];
  let node = "";
  let withNode = false;
  for (const msg of messages) {
    if (hostnameOf(msg.metadata) !== "") node = hostnameOf(msg.metadata);
    for (const m of msg.members) {
      if (rows.length === 0) {
        withNode = node !== "";
        const header = ["ID", "HOSTNAME", "PEER URLS", "CLIENT URLS", "LEARNER"];
        rows.push(withNode ? ["NODE", ...header] : header);
      }
      const row = [formatMemberId(m.id), m.hostname, m.peerUrls.join(","), m.clientUrls.join(","), String(m.isLearner)];
      rows.push(withNode ? [node, ...row] : row);
    }
  }
  return formatTable(rows);
}

/**
 * `etcd status`: `NODE MEMBER DB SIZE IN USE LEADER RAFT INDEX RAFT TERM RAFT APPLIED INDEX LEARNER ERRORS`,
 * sizes with SI units, IN USE with its share of the database.
 */
export function statusTable(messages: readonly EtcdStatus[]): string {
  const rows: string[][] = [];
  let node = "";
  let withNode = false;
  messages.forEach((msg, i) => {
    if (hostnameOf(msg.metadata) !== "") node = hostnameOf(msg.metadata);
    if (i === 0) {
      withNode = node !== "";
      const header = [
        "MEMBER",
        "DB SIZE",
        "IN USE",
        "LEADER",
        "RAFT INDEX",
        "RAFT TERM",
        "RAFT APPLIED INDEX",
        "LEARNER",
        "ERRORS",
      ];
      rows.push(withNode ? ["NODE", ...header] : header);
    }
    const st = msg.memberStatus;
    const dbSize = st?.dbSize ?? 0n;
    const inUse = st?.dbSizeInUse ?? 0n;
    const ratio = dbSize > 0n ? (Number(inUse) / Number(dbSize)) * 100 : 0;
    const row = [
      formatMemberId(st?.memberId ?? 0n),
      humanizeBytes(dbSize < 0n ? 0n : dbSize),
      `${humanizeBytes(inUse < 0n ? 0n : inUse)} (${ratio.toFixed(2)}%)`,
      formatMemberId(st?.leader ?? 0n),
      String(st?.raftIndex ?? 0n),
      String(st?.raftTerm ?? 0n),
      String(st?.raftAppliedIndex ?? 0n),
      String(st?.isLearner ?? false),
      (st?.errors ?? []).join(", "),
    ];
    rows.push(withNode ? [node, ...row] : row);
  });
  return formatTable(rows);
}

/** `etcd alarm list|disarm`: `NODE MEMBER ALARM`. */
export function alarmTable(messages: readonly { metadata?: Metadata; memberAlarms: EtcdMemberAlarm[] }[]): string {
  const rows: string[][] = [];
  let node = "";
  let withNode = false;
  messages.forEach((msg, i) => {
    if (hostnameOf(msg.metadata) !== "") node = hostnameOf(msg.metadata);
    msg.memberAlarms.forEach((a, j) => {
      if (i === 0 && j === 0) {
        withNode = node !== "";
        rows.push(withNode ? ["NODE", "MEMBER", "ALARM"] : ["MEMBER", "ALARM"]);
      }
      const row = [formatMemberId(a.memberId), enumName(EtcdMemberAlarm_AlarmType, a.alarm)];
      rows.push(withNode ? [node, ...row] : row);
    });
  });
  return formatTable(rows);
}

/** An etcd member ID as `strconv.ParseUint(s, 16, 64)` reads it; undefined when it is not one. */
export function parseMemberId(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,16}$/.test(text)) return undefined;
  return BigInt(`0x${text}`);
}

/**
 * `etcd remove-member`: by member ID when the argument is hex (EtcdRemoveMemberByID), falling back to
 * the hostname call (EtcdRemoveMember) when no member has that ID.
 */
async function removeMember(s: Session, member: string): Promise<void> {
  const id = parseMemberId(member);
  if (id !== undefined) {
    let reply: Awaited<ReturnType<Machine["etcdRemoveMemberByID"]>> | undefined;
    try {
      reply = await s.client.etcdRemoveMemberByID({ memberId: id }, { headers: s.headers });
    } catch (e) {
      if (!(e instanceof ConnectError && e.code === Code.NotFound)) throw toCliError(e);
    }
    if (reply !== undefined) {
      const { errors } = splitReplies(reply.messages);
      if (errors.length === 0) return;
      const notFound = reply.messages.every(
        (m) => m.metadata === undefined || m.metadata.error === "" || metadataErrorCode(m.metadata) === Code.NotFound,
      );
      if (!notFound) throw multiNodeError(errors);
    }
  }
  await callNodesOrFail(undefined, () => s.client.etcdRemoveMember({ member }, { headers: s.headers }));
}

/**
 * `etcd snapshot <path>`: streams the snapshot into `<path>.part`, checks that it ends with etcd's
 * SHA-256 trailer, then renames it into place.
 */
async function snapshot(s: Session, dbPath: string): Promise<void> {
  const partPath = `${dbPath}.part`;
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(partPath, "w", 0o600);
  } catch (e) {
    throw new CliError(`error creating temporary file: ${(e as Error).message}`);
  }
  let size = 0;
  try {
    try {
      const errors = await readNodeStream(
        s.client.etcdSnapshot({}, { headers: s.headers }),
        endpointHost(s.conn),
        async (data) => {
          await file.write(data.bytes);
          size += data.bytes.length;
        },
        { what: "error reading" },
      );
      if (errors.length > 0) throw streamErrors(errors);
      await file.sync();
    } finally {
      await file.close();
    }
    // The check etcd's own snapshot client makes: the database is followed by its SHA-256.
    if (size % 512 !== 32) throw new CliError(`sha256 checksum not found (size ${size})`);
    try {
      await rename(partPath, dbPath);
    } catch (e) {
      throw new CliError(`error renaming to final location: ${(e as Error).message}`);
    }
  } finally {
    await rm(partPath, { force: true });
  }
  process.stdout.write(`etcd snapshot saved to ${goQuote(dbPath)} (${size} bytes)\n`);
}
