import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isTalosContextError, selectContext, TalosContextError } from "./select-context.ts";
import type { TalosConfig } from "./talos-config.ts";

const config: TalosConfig = { context: "b", contexts: { b: { endpoints: ["2"] }, a: { endpoints: ["1"] } } };

describe("selectContext", () => {
  it("returns the current context, or the override", () => {
    assert.deepEqual(selectContext(config), { name: "b", context: { endpoints: ["2"] } });
    assert.deepEqual(selectContext(config, "a"), { name: "a", context: { endpoints: ["1"] } });
    assert.deepEqual(selectContext(config, ""), { name: "b", context: { endpoints: ["2"] } });
  });

  it("names the file and lists the known contexts for an unknown name", () => {
    assert.throws(
      () => selectContext(config, "c", "/home/u/.talos/config"),
      (e: unknown) =>
        isTalosContextError(e) &&
        e.reason === "unknown-context" &&
        e.message === 'context "c" is not defined in /home/u/.talos/config; known contexts: "a", "b"',
    );
  });

  it("says when no context is set", () => {
    assert.throws(
      () => selectContext({ context: "", contexts: { a: { endpoints: [] } } }, undefined, "tc"),
      new TalosContextError("no-context-set", "", ["a"], "tc"),
    );
    assert.throws(
      () => selectContext({ contexts: {} }, undefined, "tc"),
      /^TalosContextError: no context is set in tc; it defines no contexts \(add one with "talosctl config merge" or "talosctl config add"\)$/,
    );
  });

  it("never finds inherited properties", () => {
    assert.throws(() => selectContext(config, "toString"), /context "toString" is not defined/);
  });
});
