// Builds the talos-ts node image (localhost/talos-ts/node:<content hash>, and :latest) from this checkout
// and prints its tag. A rebuild with unchanged inputs is a no-op.
//   node hack/build-node-image.ts [--engine-socket PATH] [--build] [--quiet]
// --engine-socket: import through the Docker Engine API on that unix socket (Docker or
// `podman system service`); default: the podman CLI. --build: run `npm run build` first (dist/machined.mjs
// goes into the image). Progress goes to stderr, the tag alone to stdout.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildNodeImage } from "../packages/provision/src/image/index.ts";

export * from "../packages/provision/src/image/index.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "engine-socket": { type: "string" },
      build: { type: "boolean", default: false },
      quiet: { type: "boolean", short: "q", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write("usage: node hack/build-node-image.ts [--engine-socket PATH] [--build] [--quiet]\n");
    return;
  }
  const repoRoot = resolve(import.meta.dirname, "..");
  if (values.build === true) {
    execFileSync(process.execPath, ["hack/build.ts"], { cwd: repoRoot, stdio: ["ignore", "inherit", "inherit"] });
  }
  const socket = values["engine-socket"];
  const result = await buildNodeImage({
    repoRoot,
    ...(socket !== undefined ? { engine: { socketPath: socket } } : {}),
    log: values.quiet === true ? undefined : (s) => process.stderr.write(`${s}\n`),
  });
  process.stdout.write(`${result.tag}\n`);
}

if (import.meta.main) {
  main().catch((e: unknown) => {
    process.stderr.write(`build-node-image: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
