// The text files of a support bundle, laid out as Talos's support collectors write them
// (github.com/siderolabs/go-talos-support): tables without a NODE column (the folder names the node),
// one YAML document per resource with its metadata and spec.
import type { cosi, DiskStats, Mounts, Process, ServiceInfo } from "@talos/machinery/api";
import { stringify } from "yaml";
import { humanizeBytes } from "../../output/go-format.ts";
import { resourceDocument } from "../../output/resource-output.ts";
import { formatTable } from "../../util/tab-writer.ts";
import { processCommand } from "../processes.ts";
import { serviceDetailRows } from "../service.ts";

/** `processes`: PID, STATE, THREADS, CPU-TIME, VIRTMEM, RESMEM, COMMAND in the node's order. */
export function processesFile(messages: readonly Process[]): string {
  const rows = [["PID", "STATE", "THREADS", "CPU-TIME", "VIRTMEM", "RESMEM", "COMMAND"]];
  for (const msg of messages) {
    for (const p of msg.processes) {
      // Go: "%6d\t%1s\t%4d\t%8.2f\t%7s\t%7s\t%s"
      rows.push([
        String(p.pid).padStart(6),
        p.state.padStart(1),
        String(p.threads).padStart(4),
        p.cpuTime.toFixed(2).padStart(8),
        humanizeBytes(p.virtualMemory).padStart(7),
        humanizeBytes(p.residentMemory).padStart(7),
        processCommand(p),
      ]);
    }
  }
  return formatTable(rows);
}

/** `mounts`: Talos's mounts table without the NODE column; filesystems without a size are left out. */
export function mountsFile(messages: readonly Mounts[]): string {
  const rows = [["FILESYSTEM", "SIZE(GB)", "USED(GB)", "AVAILABLE(GB)", "PERCENT USED", "MOUNTED ON"]];
  for (const msg of messages) {
    for (const r of msg.stats) {
      const size = Number(r.size);
      const available = Number(r.available);
      const percent = 100 - 100 * (available / size);
      if (Number.isNaN(percent)) continue;
      rows.push([
        r.filesystem,
        (size * 1e-9).toFixed(2),
        (Number(r.size - r.available) * 1e-9).toFixed(2),
        (available * 1e-9).toFixed(2),
        `${Number.isFinite(percent) ? percent.toFixed(2) : percent > 0 ? "+Inf" : "-Inf"}%`,
        r.mountedOn,
      ]);
    }
  }
  return formatTable(rows);
}

/** `io`: the block devices' I/O counters. */
export function ioFile(messages: readonly DiskStats[]): string {
  const rows = [["NAME", "IO_TIME", "IO_TIME_WEIGHTED", "DISK_WRITE_SECTORS", "DISK_READ_SECTORS"]];
  for (const msg of messages) {
    for (const d of msg.devices) {
      rows.push([
        d.name,
        String(d.ioTimeMs),
        String(d.ioTimeWeightedMs),
        String(d.writeSectors),
        String(d.readSectors),
      ]);
    }
  }
  return formatTable(rows);
}

/** `<id>.state`: `talosctl service <id>` without the NODE line: state, health and the events, newest first. */
export function serviceStateFile(svc: ServiceInfo, now: number): string {
  return formatTable(serviceDetailRows("", svc, now).slice(1));
}

/**
 * `resources/<type>.yaml`: one document per resource (`metadata`, `spec`), as a yaml.v3 encoder writes
 * them (4-space indent, `---` between documents). The spec of a sensitive type is `<REDACTED>`.
 */
export function resourcesFile(resources: readonly cosi.Resource[], sensitive: boolean): string {
  return resources
    .map((resource) => {
      const { metadata, spec } = resourceDocument({ node: "", resource });
      return stringify(
        { metadata, spec: sensitive ? "<REDACTED>" : spec },
        { indent: 4, lineWidth: 0, indentSeq: false },
      );
    })
    .join("---\n");
}
