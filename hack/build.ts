// Bundles the executables into dist/: one ESM file each, fast to start (no module resolution at run time).
import { execFileSync } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { build, type Plugin } from "esbuild";

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

/**
 * `import ... from "node:http"` in ESM builds the module's ESM facade, which reads every export, including
 * `http.WebSocket`: that getter loads Node's bundled undici (~17 MB resident in every daemon). Loading the
 * builtin through `process.getBuiltinModule` instead reads exports only when used.
 */
const builtinsWithoutEsmFacade: Plugin = {
  name: "builtins-without-esm-facade",
  setup(b) {
    b.onResolve({ filter: /^(node:)?https?$/ }, (args) => ({
      path: args.path.replace(/^node:/, ""),
      namespace: "builtin-cjs",
    }));
    b.onLoad({ filter: /.*/, namespace: "builtin-cjs" }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`,
      loader: "js",
    }));
  },
};

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
      plugins: [builtinsWithoutEsmFacade],
      logLevel: "warning",
    }),
  ),
);
// V8 keeps a script's source as one-byte text only when every character is Latin-1; a single other
// character doubles the resident source of a bundle (~1 MB more in every node daemon). Keep them ASCII.
for (const name of Object.keys(entries)) {
  const text = await readFile(`dist/${name}.mjs`, "utf8");
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) {
    console.error(
      `dist/${name}.mjs has a non-ASCII character near ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}: escape it in the source (\\uXXXX)`,
    );
    process.exit(1);
  }
}
console.log(
  `built ${Object.keys(entries)
    .map((n) => `dist/${n}.mjs`)
    .join(", ")}`,
);
