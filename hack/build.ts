// Bundles the executables into dist/: one ESM file each, fast to start (no module resolution at run time).
import { build } from "esbuild";

const banner =
  // Some dependencies are CommonJS and call require(); give the ESM bundle a real one.
  "import { createRequire as __talosCreateRequire } from 'node:module'; const require = __talosCreateRequire(import.meta.url);";

const entries: Record<string, string> = {
  talosctl: "packages/talosctl/src/main.ts",
};

await Promise.all(
  Object.entries(entries).map(([name, entry]) =>
    build({
      entryPoints: [entry],
      outfile: `dist/${name}.mjs`,
      bundle: true,
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
