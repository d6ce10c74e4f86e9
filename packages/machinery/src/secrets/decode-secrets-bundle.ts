import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import { ConfigError, type ConfigIssue, type FieldPath } from "../config/errors.ts";
import { checkSecrets, isMissing, type SecretSlot } from "./check-secrets.ts";
import type { SecretsBundle } from "./secrets-bundle.ts";

/** The bundle's layout: nested mappings whose leaves are strings. */
type Shape = { readonly [key: string]: Shape | "string" };

const PAIR: Shape = { crt: "string", key: "string" };
const BUNDLE_SHAPE: Shape = {
  cluster: { id: "string", secret: "string" },
  secrets: { bootstraptoken: "string", aescbcencryptionsecret: "string", secretboxencryptionsecret: "string" },
  trustdinfo: { token: "string" },
  certs: { etcd: PAIR, k8s: PAIR, k8saggregator: PAIR, k8sserviceaccount: { key: "string" }, os: PAIR },
};

/**
 * Reads a secrets bundle (`secrets.yaml`) strictly: YAML syntax, unknown or duplicate keys, missing fields,
 * values of the wrong kind, bad base64, PEM that does not parse, keys that do not match their certificate,
 * malformed tokens and encryption keys are all reported at once, each with its field path
 * (`certs.os.key`) and what was expected.
 *
 * @param source the file name, used in the error message.
 * @throws {ConfigError}
 */
export function decodeSecretsBundle(text: string, source?: string): SecretsBundle {
  const fail = (issues: ConfigIssue[]): never => {
    throw new ConfigError(issues, source, `${source ?? "secrets bundle"}: invalid secrets bundle`);
  };
  const lineCounter = new LineCounter();
  // failsafe: every scalar is a string, as the Go struct fields are, so `id: 123` is simply the text "123".
  const docs = parseAllDocuments(text, { lineCounter, schema: "failsafe", uniqueKeys: true });
  const syntax = docs.flatMap((d) =>
    d.errors.map((e): ConfigIssue => {
      const at = e.linePos?.[0];
      const reason = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
      return {
        path: [],
        message: `YAML syntax error${at !== undefined ? ` at line ${at.line}:${at.col}` : ""}: ${reason}`,
      };
    }),
  );
  if (syntax.length > 0) fail(syntax);
  const nonEmpty = docs.filter((d) => d.contents !== null);
  if (nonEmpty.length === 0) fail([{ path: [], message: "the file is empty, expected a secrets bundle" }]);
  if (nonEmpty.length > 1) fail([{ path: [], message: `expected one YAML document, found ${nonEmpty.length}` }]);

  const issues: ConfigIssue[] = [];
  const value = readMapping(nonEmpty[0]?.contents ?? null, BUNDLE_SHAPE, [], issues, lineCounter) ?? {};
  const get = (...path: string[]): unknown =>
    path.reduce<unknown>(
      (v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );

  checkSecrets(bundleSlots(get), issues);
  const aescbc = get("secrets", "aescbcencryptionsecret");
  const secretbox = get("secrets", "secretboxencryptionsecret");
  if (isMissing(aescbc) && isMissing(secretbox)) {
    issues.push({ path: ["secrets"], message: "one of secretboxencryptionsecret, aescbcencryptionsecret is required" });
  } else if (!isMissing(aescbc) && !isMissing(secretbox)) {
    issues.push({
      path: ["secrets"],
      message: "only one of secretboxencryptionsecret, aescbcencryptionsecret is allowed",
    });
  }
  if (issues.length > 0) fail(issues);

  const str = (...path: string[]) => get(...path) as string;
  const pair = (name: string) => ({ crt: str("certs", name, "crt"), key: str("certs", name, "key") });
  return {
    cluster: { id: str("cluster", "id"), secret: str("cluster", "secret") },
    secrets: {
      bootstraptoken: str("secrets", "bootstraptoken"),
      ...(isMissing(aescbc) ? {} : { aescbcencryptionsecret: aescbc as string }),
      ...(isMissing(secretbox) ? {} : { secretboxencryptionsecret: secretbox as string }),
    },
    trustdinfo: { token: str("trustdinfo", "token") },
    certs: {
      etcd: pair("etcd"),
      k8s: pair("k8s"),
      k8saggregator: pair("k8saggregator"),
      k8sserviceaccount: { key: str("certs", "k8sserviceaccount", "key") },
      os: pair("os"),
    },
  };
}

/** The content checks of every bundle field (the encryption secrets are optional here, checked as a pair). */
function bundleSlots(get: (...path: string[]) => unknown): SecretSlot[] {
  const slot = (check: SecretSlot["check"], ...path: string[]): SecretSlot => ({ path, check, value: get(...path) });
  const slots = [
    slot("text", "cluster", "id"),
    slot("base64", "cluster", "secret"),
    slot("token", "secrets", "bootstraptoken"),
    slot("text", "trustdinfo", "token"),
    slot("certAndKey", "certs", "etcd"),
    slot("certAndKey", "certs", "k8s"),
    slot("certAndKey", "certs", "k8saggregator"),
    slot("privateKey", "certs", "k8sserviceaccount", "key"),
    slot("certAndKey", "certs", "os"),
  ];
  if (!isMissing(get("secrets", "aescbcencryptionsecret")))
    slots.push(slot("aesKey", "secrets", "aescbcencryptionsecret"));
  if (!isMissing(get("secrets", "secretboxencryptionsecret"))) {
    slots.push(slot("key32", "secrets", "secretboxencryptionsecret"));
  }
  return slots;
}

/** Reads a mapping against its shape into plain data, reporting structure problems; absent fields stay out. */
function readMapping(
  node: Node | null,
  shape: Shape,
  path: FieldPath,
  issues: ConfigIssue[],
  lc: LineCounter,
): Record<string, unknown> | undefined {
  if (node === null || (isScalar(node) && node.value === "")) return undefined;
  if (!isMap(node)) {
    issues.push({ path, message: `expected a mapping, got ${kindOf(node)}${lineOf(node, lc)}` });
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    if (!isScalar(keyNode) || typeof keyNode.value !== "string") {
      issues.push({ path, message: `mapping keys must be strings${lineOf(keyNode, lc)}` });
      continue;
    }
    const key = keyNode.value;
    const fieldShape = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (fieldShape === undefined) {
      const known = Object.keys(shape).join(", ");
      issues.push({ path: [...path, key], message: `unknown field${lineOf(keyNode, lc)}, expected one of: ${known}` });
      continue;
    }
    const valueNode = pair.value as Node | null;
    if (fieldShape === "string") {
      if (valueNode === null) continue;
      if (!isScalar(valueNode)) {
        issues.push({
          path: [...path, key],
          message: `expected a string, got ${kindOf(valueNode)}${lineOf(valueNode, lc)}`,
        });
        continue;
      }
      out[key] = String(valueNode.value);
    } else {
      const nested = readMapping(valueNode, fieldShape, [...path, key], issues, lc);
      if (nested !== undefined) out[key] = nested;
    }
  }
  return out;
}

function kindOf(node: Node): string {
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return `${JSON.stringify(String(node.value))}`;
  return "an alias";
}

function lineOf(node: Node | null, lc: LineCounter): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return "";
  const { line, col } = lc.linePos(offset);
  return ` (line ${line}:${col})`;
}
