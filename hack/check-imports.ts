// Enforces the dependency rules of ARCHITECTURE.md: which package may import which, no I/O modules in the
// pure packages, no reaching into another package's files. Exits 1 listing every violation.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

const root = resolve(import.meta.dirname, "..");

/** What each package may import from the workspace. */
const allowed: Record<string, readonly string[]> = {
  runtime: [],
  machinery: ["runtime"],
  provision: ["machinery"],
  imager: ["machinery"],
  machined: ["machinery", "runtime"],
  discovery: ["machinery"],
  talosctl: ["machinery", "runtime", "provision", "imager"],
};
/** Packages that must stay free of host I/O (tests may read fixtures). */
const pure = new Set(["runtime", "machinery"]);
const ioModules = /^(node:)?(fs|fs\/promises|net|child_process|dgram|http2|tls|http|https)$/;

const violations: string[] = [];
const importRe =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    // Generated protobuf code lives in packages/*/src/api/gen; the talosctl `gen` commands are ours.
    if (name === "node_modules" || name === "testdata" || p.endsWith(`${sep}api${sep}gen`)) return [];
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

for (const pkg of readdirSync(join(root, "packages"))) {
  const pkgDir = join(root, "packages", pkg);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const declared = new Set(
    Object.keys(manifest.dependencies ?? {})
      .filter((d) => d.startsWith("@talos/"))
      .map((d) => d.slice("@talos/".length)),
  );
  const rules = allowed[pkg];
  if (rules === undefined) {
    violations.push(`packages/${pkg}: not listed in hack/check-imports.ts (add its allowed imports)`);
    continue;
  }
  for (const dep of declared) {
    if (!rules.includes(dep)) violations.push(`packages/${pkg}/package.json: may not depend on @talos/${dep}`);
  }
  for (const file of walk(join(pkgDir, "src"))) {
    const rel = relative(root, file);
    const text = readFileSync(file, "utf8");
    const isTest = file.endsWith(".test.ts");
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec === undefined) continue;
      if (spec.startsWith("@talos/")) {
        const target = spec.slice("@talos/".length).split("/")[0] ?? "";
        if (target === pkg) violations.push(`${rel}: imports its own package by name (${spec}); use a relative path`);
        else if (!rules.includes(target)) violations.push(`${rel}: ${pkg} may not import ${spec}`);
        else if (!declared.has(target))
          violations.push(`${rel}: imports ${spec} but package.json does not depend on it`);
      } else if (spec.startsWith(".")) {
        const target = resolve(file, "..", spec);
        if (!target.startsWith(pkgDir + sep)) violations.push(`${rel}: relative import leaves the package (${spec})`);
      } else if (pure.has(pkg) && !isTest && ioModules.test(spec)) {
        violations.push(`${rel}: ${pkg} must stay I/O-free but imports ${spec}`);
      }
    }
  }
}

if (violations.length > 0) {
  console.error(`import rule violations (see ARCHITECTURE.md):\n${violations.map((v) => `  ${v}`).join("\n")}`);
  process.exit(1);
}
console.log("import rules: ok");
