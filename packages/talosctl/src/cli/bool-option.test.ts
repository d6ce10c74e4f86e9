import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import { boolOption, parseGoBool } from "./bool-option.ts";

test("parseGoBool accepts Go's spellings and rejects others", () => {
  for (const v of ["1", "t", "true", "TRUE", "True"]) assert.equal(parseGoBool(v), true);
  for (const v of ["0", "f", "false", "FALSE", "False"]) assert.equal(parseGoBool(v), false);
  assert.throws(() => parseGoBool("yes"), /expected true or false, got "yes"/);
});

test("boolOption: default, bare flag and --flag=false", () => {
  const parse = (args: string[]) => {
    const cmd = new Command().exitOverride().addOption(boolOption("--with-docs", "docs", true));
    cmd.parse(args, { from: "user" });
    return cmd.opts()["withDocs"];
  };
  assert.equal(parse([]), true);
  assert.equal(parse(["--with-docs"]), true);
  assert.equal(parse(["--with-docs=false"]), false);
  assert.equal(parse(["--with-docs=0"]), false);
});
