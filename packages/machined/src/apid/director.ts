// Where apid sends a call, decided from its metadata (Talos's apid director, §2.6 of the API reference).

/** gRPC status codes used by the director. */
export const Code = { InvalidArgument: 3, PermissionDenied: 7 } as const;

export type Route =
  | { readonly kind: "local" }
  | { readonly kind: "one"; readonly target: string }
  | { readonly kind: "many"; readonly targets: readonly string[] }
  | { readonly kind: "error"; readonly code: number; readonly message: string };

export interface RouteMetadata {
  readonly node?: readonly string[];
  readonly nodes?: readonly string[];
  /** Set by another apid that forwarded the call: always served here (loop guard). */
  readonly proxyfrom?: boolean;
}

export interface DirectorOptions {
  /** False on nodes without a client certificate (workers): they cannot forward. */
  readonly canForward: boolean;
  /** Whether a target names this node (one of its addresses, its hostname or FQDN). */
  readonly isLocal: (target: string) => boolean;
}

/** Methods that stream replies, which apid must know to fan them out (Talos's hard-coded list). */
const STREAMING = new Set([
  "/machine.MachineService/Copy",
  "/machine.MachineService/DiskUsage",
  "/machine.MachineService/Dmesg",
  "/machine.MachineService/EtcdSnapshot",
  "/machine.MachineService/Events",
  "/machine.MachineService/ImageList",
  "/machine.MachineService/Kubeconfig",
  "/machine.MachineService/List",
  "/machine.MachineService/Logs",
  "/machine.MachineService/PacketCapture",
  "/machine.MachineService/Read",
  "/os.OSService/Dmesg",
  "/cluster.ClusterService/HealthCheck",
]);

export function isStreamingMethod(method: string): boolean {
  return STREAMING.has(method) || /Stream$/.test(method);
}

export function route(method: string, md: RouteMetadata, opts: DirectorOptions): Route {
  if (md.proxyfrom === true) return { kind: "local" };
  const node = md.node ?? [];
  const nodes = md.nodes ?? [];
  if (node.length === 0 && nodes.length === 0) return { kind: "local" };
  if (md.node !== undefined && node.length !== 1) {
    return { kind: "error", code: Code.InvalidArgument, message: "node metadata must be single-valued" };
  }
  const targets = node.length > 0 ? node : nodes;
  for (const t of targets) {
    if (hasPort(t))
      return { kind: "error", code: Code.InvalidArgument, message: `invalid target ${JSON.stringify(t)}` };
  }
  if (!opts.canForward) {
    if (targets.length === 1 && opts.isLocal(targets[0] ?? "")) return { kind: "local" };
    return { kind: "error", code: Code.PermissionDenied, message: "no request forwarding" };
  }
  if (nodes.length > 0) {
    if (method.startsWith("/cosi.")) {
      return {
        kind: "error",
        code: Code.InvalidArgument,
        message: "one-2-many proxying is not supported for COSI methods",
      };
    }
    return { kind: "many", targets: nodes };
  }
  return { kind: "one", target: node[0] ?? "" };
}

/** `host:port` or `[v6]:port`; a bare IPv6 address is not a port. */
function hasPort(target: string): boolean {
  if (/^\[.*\]:\d+$/.test(target)) return true;
  return /^[^:]*:\d+$/.test(target);
}
