// The two ways the node image reaches a container engine: the Docker Engine API on a unix socket (Docker, or
// `podman system service`), or the `podman` CLI. Both import an uncompressed rootfs tar with Dockerfile-style
// config changes, then tag the result; tagging is a separate call because podman 4.3's compat endpoint
// ignores the `tag` parameter of /images/create.
import { spawn } from "node:child_process";
import { request } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface ImageInfo {
  /** Image ID, hex without the `sha256:` prefix. */
  id: string;
  sizeBytes: number;
}

export interface ImageEngine {
  readonly description: string;
  /** The image `ref` names, or undefined when there is none. */
  inspect(ref: string): Promise<ImageInfo | undefined>;
  /** Imports `tar` as a one-layer image with `changes` applied, untagged; returns its ID. */
  importTar(tar: Readable, changes: readonly string[]): Promise<string>;
  tag(id: string, repository: string, tag: string): Promise<void>;
  remove(id: string): Promise<void>;
}

function stripDigest(id: string): string {
  return id.startsWith("sha256:") ? id.slice("sha256:".length) : id;
}

interface HttpReply {
  status: number;
  body: string;
}

/** Docker Engine API (also served by `podman system service`) on a unix socket. */
export class DockerApiEngine implements ImageEngine {
  readonly description: string;
  readonly #socketPath: string;

  constructor(socketPath: string) {
    this.#socketPath = socketPath;
    this.description = `Docker Engine API at ${socketPath}`;
  }

  #call(method: string, path: string, body?: Readable): Promise<HttpReply> {
    return new Promise<HttpReply>((resolve, reject) => {
      const req = request(
        {
          socketPath: this.#socketPath,
          method,
          path,
          headers: body !== undefined ? { "Content-Type": "application/x-tar" } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        },
      );
      req.on("error", (e) => reject(new Error(`${method} ${path} on ${this.#socketPath}: ${e.message}`)));
      if (body === undefined) {
        req.end();
        return;
      }
      // A failing body (e.g. a file that changed while archived) aborts the upload and the call.
      pipeline(body, req).catch((e: unknown) => {
        req.destroy();
        reject(e);
      });
    });
  }

  async #expect(method: string, path: string, ok: number[], body?: Readable): Promise<string> {
    const reply = await this.#call(method, path, body);
    if (!ok.includes(reply.status)) {
      throw new Error(`${method} ${path}: HTTP ${reply.status}: ${apiMessage(reply.body)}`);
    }
    return reply.body;
  }

  async inspect(ref: string): Promise<ImageInfo | undefined> {
    const reply = await this.#call("GET", `/images/${ref}/json`);
    if (reply.status === 404) return undefined;
    if (reply.status !== 200) throw new Error(`inspect ${ref}: HTTP ${reply.status}: ${apiMessage(reply.body)}`);
    const info = JSON.parse(reply.body) as { Id?: string; Size?: number };
    if (typeof info.Id !== "string") throw new Error(`inspect ${ref}: no Id in the reply`);
    return { id: stripDigest(info.Id), sizeBytes: info.Size ?? 0 };
  }

  async importTar(tar: Readable, changes: readonly string[]): Promise<string> {
    const q = new URLSearchParams({ fromSrc: "-" });
    for (const c of changes) q.append("changes", c);
    const body = await this.#expect("POST", `/images/create?${q}`, [200], tar);
    return importedId(body);
  }

  async tag(id: string, repository: string, tag: string): Promise<void> {
    const q = new URLSearchParams({ repo: repository, tag });
    await this.#expect("POST", `/images/sha256:${id}/tag?${q}`, [200, 201]);
  }

  async remove(id: string): Promise<void> {
    await this.#expect("DELETE", `/images/sha256:${id}`, [200, 404]);
  }
}

function apiMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {}
  return body.trim().slice(0, 500);
}

/** The image ID in /images/create's JSON-lines progress stream (an `error` message fails the import). */
export function importedId(body: string): string {
  let id: string | undefined;
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const msg = JSON.parse(line) as {
      status?: string;
      id?: string;
      error?: string;
      errorDetail?: { message?: string };
    };
    if (msg.error !== undefined || msg.errorDetail !== undefined) {
      throw new Error(`import failed: ${msg.errorDetail?.message ?? msg.error}`);
    }
    for (const candidate of [msg.id, msg.status]) {
      if (candidate !== undefined && /^(sha256:)?[0-9a-f]{64}$/.test(candidate)) id = stripDigest(candidate);
    }
  }
  if (id === undefined) throw new Error(`import: no image ID in the reply: ${body.trim().slice(0, 500)}`);
  return id;
}

/** The `podman` CLI (honours CONTAINERS_CONF and the rest of the caller's environment). */
export class PodmanCliEngine implements ImageEngine {
  readonly description: string;
  readonly #bin: string;

  constructor(bin = "podman") {
    this.#bin = bin;
    this.description = `${bin} CLI`;
  }

  #run(args: readonly string[], stdin?: Readable): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.#bin, args, { stdio: [stdin !== undefined ? "pipe" : "ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout?.on("data", (c: Buffer) => out.push(c));
      child.stderr?.on("data", (c: Buffer) => err.push(c));
      let inputError: unknown;
      if (stdin !== undefined && child.stdin !== null) {
        pipeline(stdin, child.stdin).catch((e: unknown) => {
          inputError = e;
          child.kill("SIGTERM");
        });
      }
      child.on("error", (e) =>
        reject(
          (e as NodeJS.ErrnoException).code === "ENOENT" ? new Error(`${this.#bin} not found (install podman)`) : e,
        ),
      );
      child.on("close", (code) => {
        if (inputError !== undefined) return reject(inputError);
        resolve({
          code: code ?? 1,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        });
      });
    });
  }

  async #must(args: readonly string[], stdin?: Readable): Promise<string> {
    const r = await this.#run(args, stdin);
    if (r.code !== 0) throw new Error(`${this.#bin} ${args[0]} ${args[1] ?? ""} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

  async inspect(ref: string): Promise<ImageInfo | undefined> {
    const r = await this.#run(["image", "inspect", "--format", "{{.Id}} {{.Size}}", ref]);
    if (r.code !== 0) {
      if (/image not known|no such image|failed to find image/i.test(r.stderr)) return undefined;
      throw new Error(`${this.#bin} image inspect ${ref} failed: ${r.stderr.trim()}`);
    }
    const [id = "", size = "0"] = r.stdout.trim().split(/\s+/);
    return { id: stripDigest(id), sizeBytes: Number(size) };
  }

  async importTar(tar: Readable, changes: readonly string[]): Promise<string> {
    const args = ["import", "--quiet", ...changes.flatMap((c) => ["--change", c]), "-"];
    const out = await this.#must(args, tar);
    const id = out.trim().split(/\s+/).pop() ?? "";
    if (!/^(sha256:)?[0-9a-f]{64}$/.test(id)) throw new Error(`${this.#bin} import: unexpected output ${out.trim()}`);
    return stripDigest(id);
  }

  async tag(id: string, repository: string, tag: string): Promise<void> {
    await this.#must(["tag", id, `${repository}:${tag}`]);
  }

  async remove(id: string): Promise<void> {
    await this.#run(["rmi", id]);
  }
}
