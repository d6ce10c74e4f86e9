import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../config/errors.ts";
import { decodeTalosConfig } from "./decode-talos-config.ts";

function issues(text: string): string {
  try {
    decodeTalosConfig(text, "talosconfig");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  assert.fail("expected a ConfigError");
}

describe("decodeTalosConfig", () => {
  it("reads every field of a context", () => {
    const c = decodeTalosConfig(
      [
        "context: prod",
        "contexts:",
        "    prod:",
        "        endpoints:",
        "            - 10.0.0.1",
        "            - https://lb.example.com",
        "        nodes:",
        "            - 10.0.0.2",
        "        ca: Q0E=",
        "        crt: Q1JU",
        "        key: S0VZ",
        "        auth:",
        "            basic:",
        "                username: u",
        "                password: 'p: w'",
        "            siderov1:",
        '                identity: "me@example.com"',
        "        cluster: c1",
        "",
      ].join("\n"),
    );
    assert.deepEqual(c, {
      context: "prod",
      contexts: {
        prod: {
          endpoints: ["10.0.0.1", "https://lb.example.com"],
          nodes: ["10.0.0.2"],
          ca: "Q0E=",
          crt: "Q1JU",
          key: "S0VZ",
          auth: { basic: { username: "u", password: "p: w" }, siderov1: { identity: "me@example.com" } },
          cluster: "c1",
        },
      },
    });
  });

  it("treats an empty file, a comment-only file and null as an empty config", () => {
    for (const text of ["", "# nothing\n", "~\n", "---\n"]) {
      assert.deepEqual(decodeTalosConfig(text), { context: "", contexts: {} }, JSON.stringify(text));
    }
  });

  it("appends the legacy target to the endpoints", () => {
    const c = decodeTalosConfig("context: a\ncontexts:\n  a:\n    target: 1.2.3.4\n    endpoints: [5.6.7.8]\n");
    assert.deepEqual(c.contexts["a"]?.endpoints, ["5.6.7.8", "1.2.3.4"]);
    const only = decodeTalosConfig("contexts:\n  a:\n    target: 1.2.3.4\n");
    assert.deepEqual(only.contexts["a"], { endpoints: ["1.2.3.4"] });
  });

  it("reads scalars into string fields as written, like yaml.v3", () => {
    const c = decodeTalosConfig(
      "context: 0x10\ncontexts:\n  0x10:\n    endpoints: [1234, true, 1.50]\n    cluster: 007\n",
    );
    assert.equal(c.context, "0x10");
    assert.deepEqual(c.contexts["0x10"], { endpoints: ["1234", "true", "1.50"], cluster: "007" });
  });

  it("drops empty optional fields and reads null values as absent", () => {
    const c = decodeTalosConfig(
      'context:\ncontexts:\n  a:\n    endpoints:\n    nodes: []\n    ca: ""\n    auth: {}\n  b:\n',
    );
    assert.deepEqual(c, { context: "", contexts: { a: { endpoints: [] }, b: { endpoints: [] } } });
  });

  it("keeps the order of contexts as written", () => {
    const c = decodeTalosConfig("contexts:\n  z: {}\n  a: {}\n  m: {}\n");
    assert.deepEqual(Object.keys(c.contexts), ["z", "a", "m"]);
  });

  it("handles a context named __proto__ as data", () => {
    const c = decodeTalosConfig("contexts:\n  __proto__:\n    endpoints: [1.1.1.1]\n");
    assert.ok(Object.hasOwn(c.contexts, "__proto__"));
    assert.deepEqual(Object.getPrototypeOf(c.contexts), Object.prototype);
  });

  it("rejects unknown fields with their path and line", () => {
    const msg = issues("context: a\ncontexts:\n  a:\n    endpoint: [1.1.1.1]\n");
    assert.match(msg, /^talosconfig: invalid talosconfig:\n/);
    assert.match(msg, /\* contexts\.a\.endpoint: unknown field "endpoint" \(line 4:5\)/);
    assert.match(issues("contexs: {}\n"), /\* contexs: unknown field "contexs"/);
    assert.match(issues("contexts:\n  a:\n    auth:\n      token: x\n"), /\* contexts\.a\.auth\.token: unknown field/);
  });

  it("rejects wrong types, listing every problem", () => {
    const msg = issues("context: [a]\ncontexts:\n  a:\n    endpoints: 1.1.1.1\n    nodes: [{x: 1}]\n  b: text\n");
    assert.match(msg, /\* context: expected a string, got a list \(line 1:10\)/);
    assert.match(msg, /\* contexts\.a\.endpoints: expected a list of strings, got "1\.1\.1\.1" \(line 4:16\)/);
    assert.match(msg, /\* contexts\.a\.nodes\[0\]: expected a string, got a mapping/);
    assert.match(msg, /\* contexts\.b: expected a mapping, got "text"/);
    assert.match(
      issues("contexts: [a, b]\n"),
      /\* contexts: expected a mapping of context names to contexts, got a list/,
    );
    assert.match(issues("- a\n"), /\* expected a mapping, got a list/);
  });

  it("rejects duplicate keys and context names", () => {
    assert.match(
      issues("contexts:\n  a: {}\n  a: {}\n"),
      /\* contexts\.a: duplicate key "a" \(line 3:3\), first defined at line 2/,
    );
    assert.match(issues("context: a\ncontext: b\n"), /\* context: duplicate key "context"/);
  });

  it("reports YAML syntax errors and multiple documents", () => {
    assert.match(issues("contexts:\n  a: [1, 2\n"), /\* YAML syntax error: line \d+:\d+: /);
    assert.match(issues("context: a\n---\ncontext: b\n"), /expected a single YAML document, found 2/);
  });

  it("names no source when none is given", () => {
    assert.throws(() => decodeTalosConfig("x: 1\n"), /^ConfigError: invalid talosconfig:|invalid talosconfig/);
  });
});
