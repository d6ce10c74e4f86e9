import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatRename, mergeTalosConfig } from "./merge-talos-config.ts";
import type { TalosConfig } from "./talos-config.ts";

const ctx = (ep: string) => ({ endpoints: [ep] });

describe("mergeTalosConfig", () => {
  it("adds new contexts and takes over the current context", () => {
    const into: TalosConfig = { context: "a", contexts: { a: ctx("1") } };
    const from: TalosConfig = { context: "b", contexts: { b: ctx("2") } };
    const { config, renames } = mergeTalosConfig(into, from);
    assert.deepEqual(config, { context: "b", contexts: { a: ctx("1"), b: ctx("2") } });
    assert.deepEqual(renames, []);
    assert.deepEqual(into, { context: "a", contexts: { a: ctx("1") } }, "input untouched");
  });

  it("renames clashing contexts with the first free suffix", () => {
    const into: TalosConfig = {
      context: "x",
      contexts: { x: ctx("0"), a: ctx("1"), "a-1": ctx("2"), "a-3": ctx("3") },
    };
    const from: TalosConfig = { context: "a", contexts: { a: ctx("4"), x: ctx("5") } };
    const { config, renames } = mergeTalosConfig(into, from);
    assert.deepEqual(renames, [
      { from: "a", to: "a-2" },
      { from: "x", to: "x-1" },
    ]);
    assert.equal(config.context, "a-2");
    assert.deepEqual(config.contexts["a-2"], ctx("4"));
    assert.deepEqual(config.contexts["x-1"], ctx("5"));
    assert.deepEqual(config.contexts["a"], ctx("1"));
    assert.equal(formatRename(renames[0]!), '"a" -> "a-2"');
  });

  it("merging the same file twice yields name-1, then name-2", () => {
    const from: TalosConfig = { context: "c", contexts: { c: ctx("1") } };
    const once = mergeTalosConfig({ context: "", contexts: {} }, from).config;
    const twice = mergeTalosConfig(once, from);
    assert.deepEqual(twice.renames, [{ from: "c", to: "c-1" }]);
    assert.equal(twice.config.context, "c-1");
    const thrice = mergeTalosConfig(twice.config, from);
    assert.deepEqual(thrice.renames, [{ from: "c", to: "c-2" }]);
  });

  it("keeps the current context when the merged file has none or a dangling one", () => {
    const into: TalosConfig = { context: "a", contexts: { a: ctx("1") } };
    assert.equal(mergeTalosConfig(into, { context: "", contexts: { b: ctx("2") } }).config.context, "a");
    assert.equal(mergeTalosConfig(into, { contexts: { b: ctx("2") } }).config.context, "a");
    assert.equal(mergeTalosConfig(into, { context: "zzz", contexts: { b: ctx("2") } }).config.context, "a");
  });
});
