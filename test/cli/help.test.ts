import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runTalosctl } from "./harness.ts";

describe("talosctl help and version", () => {
  it("--help lists every top-level command without loading them", async () => {
    const r = await runTalosctl(["--help"]);
    assert.equal(r.code, 0, r.stderr);
    for (const name of ["config", "gen", "machineconfig|mc", "validate", "version"]) {
      assert.match(r.stdout, new RegExp(`\\n  ${name.replace("|", "\\|")} `));
    }
  });

  it("help <command> and <command> --help show the command's own subcommands and flags", async () => {
    const viaHelp = await runTalosctl(["help", "gen"]);
    assert.equal(viaHelp.code, 0, viaHelp.stderr);
    assert.match(viaHelp.stdout, /\n {2}config .*<cluster name> <cluster endpoint>/);
    const viaFlag = await runTalosctl(["-n", "10.5.0.2", "gen", "config", "--help"]);
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
    assert.match(viaFlag.stdout, /--with-secrets <file>/);
  });

  it("an unknown command fails with a suggestion", async () => {
    const r = await runTalosctl(["valdate"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown command 'valdate'[\s\S]*Did you mean validate\?/);
  });

  it("version --client prints the client block", async () => {
    const r = await runTalosctl(["version", "--client"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Client:\n\tTag: {9}v1\.6\.7\n\tSHA: {9}\S+\n/);
    const short = await runTalosctl(["version", "--client", "--short"]);
    assert.equal(short.stdout, "Client:\n\tTalos v1.6.7\n");
  });
});
