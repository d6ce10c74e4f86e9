import type { Command } from "commander";

/** A top-level talosctl command, loaded only when it is the one being run (keeps start-up fast). */
export interface CommandEntry {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** Shown in `talosctl --help` without loading the command. */
  readonly description: string;
  readonly load: () => Promise<(root: Command) => void>;
}

/** Every top-level command. Each lives in its own module under commands/. */
export const commandEntries: readonly CommandEntry[] = [
  {
    name: "apply-config",
    aliases: ["apply"],
    description: "Apply a new configuration to a node",
    load: async () => (await import("./apply-config.ts")).registerApplyConfig,
  },
  {
    name: "bootstrap",
    description: "Bootstrap the etcd cluster on the specified node.",
    load: async () => (await import("./bootstrap.ts")).registerBootstrap,
  },
  {
    name: "cluster",
    description: "A collection of commands for managing local docker-based or QEMU-based clusters",
    load: async () => (await import("./cluster/index.ts")).registerCluster,
  },
  {
    name: "config",
    description: "Manage the client configuration file (talosconfig)",
    load: async () => (await import("./config/index.ts")).registerConfig,
  },
  {
    name: "containers",
    aliases: ["c"],
    description: "List containers",
    load: async () => (await import("./containers.ts")).registerContainers,
  },
  {
    name: "dashboard",
    description: "Cluster dashboard with node overview, logs and real-time metrics",
    load: async () => (await import("./dashboard.ts")).registerDashboard,
  },
  {
    name: "disks",
    description: "Get the list of disks from /sys/block on the machine",
    load: async () => (await import("./disks.ts")).registerDisks,
  },
  {
    name: "dmesg",
    description: "Retrieve kernel logs",
    load: async () => (await import("./dmesg.ts")).registerDmesg,
  },
  {
    name: "etcd",
    description: "Manage etcd",
    load: async () => (await import("./etcd.ts")).registerEtcd,
  },
  {
    name: "events",
    description: "Stream runtime events",
    load: async () => (await import("./events.ts")).registerEvents,
  },
  {
    name: "gen",
    description: "Generate CAs, certificates, and private keys",
    load: async () => (await import("./gen/index.ts")).registerGen,
  },
  {
    name: "get",
    description: "Get a specific resource or list of resources",
    load: async () => (await import("./get.ts")).registerGet,
  },
  {
    name: "health",
    description: "Check cluster health",
    load: async () => (await import("./health.ts")).registerHealth,
  },
  {
    name: "kubeconfig",
    description: "Download the admin kubeconfig from the node",
    load: async () => (await import("./kubeconfig.ts")).registerKubeconfig,
  },
  {
    name: "list",
    aliases: ["ls"],
    description: "Retrieve a directory listing",
    load: async () => (await import("./list.ts")).registerList,
  },
  {
    name: "logs",
    description: "Retrieve logs for a service",
    load: async () => (await import("./logs.ts")).registerLogs,
  },
  {
    name: "machineconfig",
    aliases: ["mc"],
    description: "Machine config related commands",
    load: async () => (await import("./machineconfig/index.ts")).registerMachineConfig,
  },
  {
    name: "memory",
    aliases: ["mem"],
    description: "Show memory usage",
    load: async () => (await import("./memory.ts")).registerMemory,
  },
  {
    name: "mounts",
    description: "List mounts",
    load: async () => (await import("./mounts.ts")).registerMounts,
  },
  {
    name: "netstat",
    aliases: ["ss"],
    description: "Show network connections and sockets",
    load: async () => (await import("./netstat.ts")).registerNetstat,
  },
  {
    name: "pcap",
    aliases: ["tcpdump"],
    description: "Capture the network packets from the node.",
    load: async () => (await import("./pcap.ts")).registerPcap,
  },
  {
    name: "processes",
    aliases: ["p", "ps"],
    description: "List running processes",
    load: async () => (await import("./processes.ts")).registerProcesses,
  },
  {
    name: "read",
    aliases: ["cat"],
    description: "Read a file on the machine",
    load: async () => (await import("./read.ts")).registerRead,
  },
  {
    name: "reboot",
    description: "Reboot a node",
    load: async () => (await import("./reboot.ts")).registerReboot,
  },
  {
    name: "reset",
    description: "Reset a node",
    load: async () => (await import("./reset.ts")).registerReset,
  },
  {
    name: "service",
    aliases: ["services"],
    description: "Retrieve the state of a service (or all services), control service state",
    load: async () => (await import("./service.ts")).registerService,
  },
  {
    name: "shutdown",
    description: "Shutdown a node",
    load: async () => (await import("./shutdown.ts")).registerShutdown,
  },
  {
    name: "stats",
    description: "Get container stats",
    load: async () => (await import("./containers.ts")).registerStats,
  },
  {
    name: "support",
    description: "Dump debug information about the cluster",
    load: async () => (await import("./support.ts")).registerSupport,
  },
  {
    name: "time",
    description: "Gets current server time",
    load: async () => (await import("./time.ts")).registerTime,
  },
  {
    name: "upgrade",
    description: "Upgrade Talos on the target node",
    load: async () => (await import("./upgrade.ts")).registerUpgrade,
  },
  {
    name: "validate",
    description: "Validate config",
    load: async () => (await import("./validate.ts")).registerValidate,
  },
  {
    name: "version",
    description: "Prints the version",
    load: async () => (await import("./version.ts")).registerVersion,
  },
];

/** Global flags that take a value, so that their value is not mistaken for the command name. */
const GLOBAL_FLAGS_WITH_VALUE = new Set([
  "--talosconfig",
  "--context",
  "-n",
  "--nodes",
  "-e",
  "--endpoints",
  "--cluster",
]);

/**
 * The top-level command named on the command line (`talosctl -n 1.2.3.4 gen config ...` → `gen`), or the
 * command `help` asks about (`talosctl help gen`); undefined when there is none.
 */
export function findCommandName(argv: readonly string[]): string | undefined {
  let sawHelp = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") return undefined;
    if (arg.startsWith("-")) {
      if (!arg.includes("=") && GLOBAL_FLAGS_WITH_VALUE.has(arg)) i++;
      continue;
    }
    if (arg === "help" && !sawHelp) {
      sawHelp = true;
      continue;
    }
    return arg;
  }
  return sawHelp ? "help" : undefined;
}

/** Finds the entry for a name or alias. */
export function findCommandEntry(name: string | undefined): CommandEntry | undefined {
  if (name === undefined) return undefined;
  return commandEntries.find((e) => e.name === name || (e.aliases ?? []).includes(name));
}
