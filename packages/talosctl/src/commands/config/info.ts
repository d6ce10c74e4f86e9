import { X509Certificate } from "node:crypto";
import type { SelectedContext } from "@talos/machinery/client-config";
import { Command } from "commander";
import { stringify } from "yaml";
import { CliError } from "../../cli/errors.ts";
import { commandContext, openTalosconfig } from "../../talosconfig/index.ts";
import { relTime } from "../../util/rel-time.ts";

/** What `config info` reports, with talosctl's JSON/YAML field names. */
export interface TalosconfigInfo {
  readonly context: string;
  readonly nodes: readonly string[] | null;
  readonly endpoints: readonly string[];
  readonly roles: readonly string[];
  readonly certTTL: string;
  readonly certNotAfter: string;
}

interface InfoFlags {
  readonly output: string;
}

/**
 * `talosctl config info [-o text|json|yaml]`: shows the current (or `--context`) context: nodes, endpoints,
 * the roles of its client certificate (its Organization) and when that certificate expires.
 */
export function registerConfigInfo(parent: Command): void {
  parent.addCommand(
    new Command("info")
      .description("Show information about the current context")
      .option("-o, --output <format>", "output format (json|yaml|text). Default text.", "text")
      .action(async (flags: InfoFlags, cmd: Command) => {
        if (!["text", "json", "yaml"].includes(flags.output)) {
          throw new CliError(`unknown output format: ${JSON.stringify(flags.output)}`);
        }
        const loaded = await openTalosconfig(cmd);
        const info = talosconfigInfo(commandContext(loaded, cmd), new Date(), loaded.location.path);
        process.stdout.write(formatTalosconfigInfo(info, flags.output as "text" | "json" | "yaml"));
      }),
  );
}

/**
 * Collects the info of a context; `now` anchors the relative expiry. Roles are the certificate's
 * Organization values (trimmed, empty ones skipped), sorted.
 *
 * @throws {CliError} when the stored certificate cannot be decoded.
 */
export function talosconfigInfo(selected: SelectedContext, now: Date, source?: string): TalosconfigInfo {
  const { name, context } = selected;
  let roles: string[] = [];
  let certTTL = "";
  let certNotAfter = "";
  if (context.crt !== undefined && context.crt !== "") {
    const cert = parseClientCertificate(context.crt, name, source);
    roles = [...new Set(organizations(cert).map((o) => o.trim()))].filter((r) => r !== "").sort();
    const notAfter = cert.validToDate;
    certTTL = relTime(notAfter, now);
    certNotAfter = notAfter.toISOString().slice(0, 10);
  }
  return {
    context: name,
    nodes: context.nodes !== undefined && context.nodes.length > 0 ? context.nodes : null,
    endpoints: context.endpoints,
    roles,
    certTTL,
    certNotAfter,
  };
}

/** Renders the info as talosctl prints it: an aligned text block, indented JSON, or YAML. */
export function formatTalosconfigInfo(info: TalosconfigInfo, format: "text" | "json" | "yaml"): string {
  if (format === "json") {
    // Go's encoding/json escapes HTML-significant characters.
    const json = JSON.stringify(info, null, 2)
      .replaceAll("<", "\\u003c")
      .replaceAll(">", "\\u003e")
      .replaceAll("&", "\\u0026");
    return `${json}\n`;
  }
  if (format === "yaml") {
    return stringify(
      { ...info, nodes: info.nodes ?? [] },
      { indent: 4, indentSeq: true, version: "1.1", lineWidth: 0 },
    );
  }
  const lines = [
    `Current context:     ${info.context}`,
    `Nodes:               ${info.nodes !== null && info.nodes.length > 0 ? info.nodes.join(", ") : "not defined"}`,
    `Endpoints:           ${info.endpoints.length > 0 ? info.endpoints.join(", ") : "not defined"}`,
  ];
  if (info.roles.length > 0) lines.push(`Roles:               ${info.roles.join(", ")}`);
  if (info.certTTL !== "") lines.push(`Certificate expires: ${info.certTTL} (${info.certNotAfter})`);
  return `${lines.join("\n")}\n`;
}

function parseClientCertificate(crt: string, context: string, source: string | undefined): X509Certificate {
  const where = `the client certificate (crt) of context ${JSON.stringify(context)}${source !== undefined ? ` in ${source}` : ""}`;
  const compact = crt.replace(/[\r\n]/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new CliError(`error decoding ${where}: expected base64 of a PEM certificate`);
  }
  const pem = Buffer.from(compact, "base64").toString("utf8");
  const block = /-----BEGIN ([^-\r\n]+)-----\r?\n[\s\S]*?-----END \1-----/.exec(pem);
  if (block === null) throw new CliError(`error decoding ${where}: error decoding PEM`);
  try {
    return new X509Certificate(block[0]);
  } catch (e) {
    throw new CliError(`error parsing ${where}: ${(e as Error).message}`);
  }
}

function organizations(cert: X509Certificate): string[] {
  const o = (cert.toLegacyObject().subject as Record<string, string | string[] | undefined>)["O"];
  if (o === undefined) return [];
  return Array.isArray(o) ? o : [o];
}
