// Bundles the executables into dist/: one ESM file each, fast to start (no module resolution at run time).
import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { build } from "esbuild";

/** Short commit of the checkout, baked into `talosctl version`. */
function gitSha(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short=8", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "undefined";
  }
}

const banner =
  // Some dependencies are CommonJS and call require(); give the ESM bundle a real one.
  "import { createRequire as __talosCreateRequire } from 'node:module'; import { fileURLToPath as __talosFileURLToPath } from 'node:url'; import { dirname as __talosDirname } from 'node:path'; const require = __talosCreateRequire(import.meta.url); const __filename = __talosFileURLToPath(import.meta.url); const __dirname = __talosDirname(__filename);";

const entries: Record<string, string> = {
  talosctl: "packages/talosctl/src/main.ts",
  machined: "packages/machined/src/main.ts",
  "discovery-service": "packages/discovery/src/main.ts",
};

await rm("dist", { recursive: true, force: true });
await Promise.all(
  Object.entries(entries).map(([name, entry]) =>
    build({
      entryPoints: { [name]: entry },
      outdir: "dist",
      outExtension: { ".js": ".mjs" },
      // Commands are imported on demand; each becomes a chunk so start-up parses only what runs.
      splitting: true,
      chunkNames: `${name}-chunks/[name]-[hash]`,
      define: { __TALOS_GIT_SHA__: JSON.stringify(gitSha()) },
      bundle: true,
      // Optional native add-ons of dockerode's SSH transport (ssh2, cpu-features) are never loaded here.
      // ink loads react-devtools-core (an optional peer, not installed) only when DEV=true.
      external: ["*.node", "react-devtools-core"],
      platform: "node",
      format: "esm",
      target: "node24",
      minify: true,
      sourcemap: "linked",
      legalComments: "none",
      banner: { js: banner },
      logLevel: "warning",
    }),
  ),
);
console.log(
  `built ${Object.keys(entries)
    .map((n) => `dist/${n}.mjs`)
    .join(", ")}`,
);
