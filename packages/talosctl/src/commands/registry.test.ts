import assert from "node:assert/strict";
import { test } from "node:test";
import { findCommandEntry, findCommandName } from "./registry.ts";

test("findCommandName skips global flags and their values", () => {
  assert.equal(findCommandName(["gen", "config"]), "gen");
  assert.equal(findCommandName(["-n", "10.5.0.2", "version"]), "version");
  assert.equal(findCommandName(["--talosconfig", "x", "--context=y", "-e", "a,b", "get", "rd"]), "get");
  assert.equal(findCommandName(["--nodes=1.2.3.4", "mc", "patch"]), "mc");
  assert.equal(findCommandName(["help", "gen"]), "gen");
  assert.equal(findCommandName(["--help"]), undefined);
  assert.equal(findCommandName([]), undefined);
});

test("findCommandEntry resolves aliases", () => {
  assert.equal(findCommandEntry("mc")?.name, "machineconfig");
  assert.equal(findCommandEntry("nope"), undefined);
});
