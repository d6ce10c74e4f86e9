// Builds the talos-ts node image from this checkout: plan the rootfs, hash its tar, and import it only when
// no image carries that content tag yet. `localhost/talos-ts/node:<hash>` is content-addressed (the tar's
// sha256 and the image config), so an unchanged checkout is a no-op; `:latest` follows the last build.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { promisify } from "node:util";
import { TALOS_VERSION } from "@talos/machinery/constants";
import { DockerApiEngine, type ImageEngine, PodmanCliEngine } from "./engine.ts";
import { IMAGE_PATHS, planRootfs } from "./rootfs.ts";
import { type RootfsEntry, tarStream } from "./tar.ts";

const execFileP = promisify(execFile);

export const NODE_IMAGE_REPOSITORY = "localhost/talos-ts/node";

export interface BuildNodeImageOptions {
  /** The checkout: dist/machined.mjs (run `npm run build` first) and node_modules/node come from here. */
  repoRoot: string;
  /** Import through the Docker Engine API on this socket (Docker, `podman system service`); else the podman CLI. */
  engine?: { socketPath: string };
  /** Progress lines (what is done, how long it took). */
  log?: (s: string) => void;
  /** Image repository; default `localhost/talos-ts/node`. */
  repository?: string;
}

export interface BuildNodeImageResult {
  /** `<repository>:<content hash>`. */
  tag: string;
  /** False when an image with this content tag already existed (nothing was imported). */
  built: boolean;
  /** The image size the engine reports. */
  sizeBytes: number;
  /** Image ID (hex). */
  id: string;
}

/** The image config: PID 1 is tini (reaps orphans, forwards signals), machined its child. */
export interface NodeImageConfig {
  entrypoint: string[];
  cmd: string[];
  env: string[];
  stopSignal: string;
  labels: Record<string, string>;
}

export const SOURCE_LABEL = "talos-ts.source";

/**
 * V8 flags of the long-running daemons in the image (machined, the discovery service): a small young
 * generation, and no optimising compilers (Maglev, TurboFan) — their code and compiled output cost an idle
 * node ~20 MB resident, while a node's API traffic is light; the interpreter and the Sparkplug baseline
 * compiler remain. docs/performance.md has the memory and throughput figures of both settings.
 */
export const DAEMON_NODE_FLAGS: readonly string[] = [
  "--max-semi-space-size=1",
  "--no-opt",
  "--no-maglev",
  "--optimize-for-size",
];

export function nodeImageConfig(source: string): NodeImageConfig {
  return {
    entrypoint: [IMAGE_PATHS.tini, "-s", "-g", "--"],
    cmd: [IMAGE_PATHS.node, ...DAEMON_NODE_FLAGS, IMAGE_PATHS.machined, "--platform", "container"],
    env: ["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"],
    stopSignal: "SIGTERM",
    labels: {
      "org.opencontainers.image.title": "talos-ts node",
      "talos.version": TALOS_VERSION,
      [SOURCE_LABEL]: source,
    },
  };
}

/** The config as Dockerfile instructions, the form both `podman import --change` and the API take. */
export function configChanges(config: NodeImageConfig): string[] {
  return [
    `ENTRYPOINT ${JSON.stringify(config.entrypoint)}`,
    `CMD ${JSON.stringify(config.cmd)}`,
    ...config.env.map((e) => `ENV ${e}`),
    `STOPSIGNAL ${config.stopSignal}`,
    ...Object.entries(config.labels).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`),
  ];
}

/**
 * The content tag: the rootfs tar's sha256 and the config, minus the source label (which only records
 * which checkout first produced this content, so a new commit with identical output reuses the image).
 */
export function contentHash(layerDigest: string, config: NodeImageConfig): string {
  const { [SOURCE_LABEL]: _source, ...labels } = config.labels;
  const canonical = JSON.stringify({ format: 1, layer: layerDigest, ...config, labels });
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** `<short sha>[-dirty]` of the checkout, or "unknown" outside git. */
export async function gitSource(repoRoot: string): Promise<string> {
  try {
    const sha = (await execFileP("git", ["rev-parse", "--short=12", "HEAD"], { cwd: repoRoot })).stdout.trim();
    const status = (await execFileP("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: repoRoot }))
      .stdout;
    return status.trim() === "" ? sha : `${sha}-dirty`;
  } catch {
    return "unknown";
  }
}

/** A pass-through that hashes and counts what flows through it. */
function hashingTap(): { tap: Transform; digest: () => string; bytes: () => number } {
  const h = createHash("sha256");
  let n = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      n += chunk.length;
      cb(null, chunk);
    },
  });
  return { tap, digest: () => `sha256:${h.digest("hex")}`, bytes: () => n };
}

async function tarDigest(entries: readonly RootfsEntry[]): Promise<{ digest: string; bytes: number }> {
  const h = createHash("sha256");
  let bytes = 0;
  for await (const chunk of tarStream(entries)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { digest: `sha256:${h.digest("hex")}`, bytes };
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export async function buildNodeImage(opts: BuildNodeImageOptions): Promise<BuildNodeImageResult> {
  const log = opts.log ?? (() => {});
  const repository = opts.repository ?? NODE_IMAGE_REPOSITORY;
  const engine: ImageEngine =
    opts.engine !== undefined ? new DockerApiEngine(opts.engine.socketPath) : new PodmanCliEngine();
  const started = performance.now();
  const since = (t: number) => `${Math.round(performance.now() - t)} ms`;

  let t = performance.now();
  const [entries, source] = await Promise.all([
    planRootfs({ repoRoot: opts.repoRoot, talosVersion: TALOS_VERSION }),
    gitSource(opts.repoRoot),
  ]);
  const files = entries.filter((e) => e.type === "file").length;
  log(`planned rootfs: ${entries.length} entries (${files} files) in ${since(t)}`);

  t = performance.now();
  const layer = await tarDigest(entries);
  const config = nodeImageConfig(source);
  const hash = contentHash(layer.digest, config);
  const tag = `${repository}:${hash}`;
  log(`rootfs tar ${mb(layer.bytes)}, ${layer.digest.slice(0, 19)}…, hashed in ${since(t)}`);

  const existing = await engine.inspect(tag);
  if (existing !== undefined) {
    await pointLatest(engine, repository, existing.id);
    log(`${tag} already exists (${engine.description}); nothing to build (${since(started)})`);
    return { tag, built: false, sizeBytes: existing.sizeBytes, id: existing.id };
  }

  t = performance.now();
  // Hash what is actually sent: if a file changed since the first pass, the content tag would lie.
  const tap = hashingTap();
  const tar = tarStream(entries);
  tar.on("error", (e) => tap.tap.destroy(e));
  const id = await engine.importTar(tar.pipe(tap.tap), configChanges(config));
  if (tap.digest() !== layer.digest) {
    await engine.remove(id).catch(() => {});
    throw new Error("the rootfs inputs changed during the build (e.g. dist/ was rebuilt); run it again");
  }
  log(`imported ${mb(tap.bytes())} through ${engine.description} in ${since(t)}`);

  await engine.tag(id, repository, hash);
  await pointLatest(engine, repository, id);
  const info = await engine.inspect(tag);
  log(`built ${tag} (${mb(info?.sizeBytes ?? 0)}) in ${since(started)}`);
  return { tag, built: true, sizeBytes: info?.sizeBytes ?? 0, id };
}

async function pointLatest(engine: ImageEngine, repository: string, id: string): Promise<void> {
  const latest = await engine.inspect(`${repository}:latest`);
  if (latest?.id !== id) await engine.tag(id, repository, "latest");
}
