import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeTalosConfig } from "./decode-talos-config.ts";
import { compareGoYamlKeys, encodeTalosConfig } from "./encode-talos-config.ts";
import { emptyTalosConfig, newTalosConfig } from "./talos-config.ts";

describe("encodeTalosConfig", () => {
  it("writes an empty config as talosctl does", () => {
    assert.equal(encodeTalosConfig(emptyTalosConfig()), 'context: ""\ncontexts: {}\n');
    assert.equal(encodeTalosConfig({ contexts: {} }), 'context: ""\ncontexts: {}\n');
  });

  it("writes fields in Talos's order with 4-space indentation and omitempty", () => {
    const text = encodeTalosConfig({
      context: "prod",
      contexts: {
        prod: {
          cluster: "c1",
          auth: { siderov1: { identity: "me" }, basic: { username: "u", password: "" } },
          key: "S0VZ",
          crt: "Q1JU",
          ca: "Q0E=",
          nodes: ["10.0.0.2", "10.0.0.3"],
          endpoints: ["10.0.0.1"],
        },
        bare: { endpoints: [], nodes: [], ca: "", cluster: "" },
      },
    });
    assert.equal(
      text,
      [
        "context: prod",
        "contexts:",
        "    bare:",
        "        endpoints: []",
        "    prod:",
        "        endpoints:",
        "            - 10.0.0.1",
        "        nodes:",
        "            - 10.0.0.2",
        "            - 10.0.0.3",
        "        ca: Q0E=",
        "        crt: Q1JU",
        "        key: S0VZ",
        "        auth:",
        "            basic:",
        "                username: u",
        '                password: ""',
        "            siderov1:",
        "                identity: me",
        "        cluster: c1",
        "",
      ].join("\n"),
    );
  });

  it("quotes names and values that would read back as something else", () => {
    const text = encodeTalosConfig({
      context: "yes",
      contexts: { yes: { endpoints: ["1234", "a: b", "[::1]:50000"] }, "123": { endpoints: [] } },
    });
    assert.equal(
      text,
      [
        'context: "yes"',
        "contexts:",
        '    "123":',
        "        endpoints: []",
        '    "yes":',
        "        endpoints:",
        '            - "1234"',
        "            - 'a: b'",
        "            - '[::1]:50000'",
        "",
      ].join("\n"),
    );
  });

  it("round-trips through decode", () => {
    const config = newTalosConfig("cluster-1", {
      endpoints: ["127.0.0.1"],
      ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      crt: "crt",
      key: "key",
    });
    const text = encodeTalosConfig(config);
    assert.deepEqual(decodeTalosConfig(text), config);
    assert.equal(encodeTalosConfig(decodeTalosConfig(text)), text);
    assert.match(
      text,
      /^context: cluster-1\ncontexts:\n {4}cluster-1:\n {8}endpoints:\n {12}- 127\.0\.0\.1\n {8}ca: LS0t/,
    );
  });
});

describe("compareGoYamlKeys", () => {
  it("sorts like yaml.v3: digit runs by value, letters after other characters", () => {
    const keys = ["b", "a-10", "a-2", "a", "a-1", "A", "10", "9", "_x", "a1", "a_"];
    assert.deepEqual([...keys].sort(compareGoYamlKeys), [
      "_x",
      "9",
      "10",
      "A",
      "a",
      "a-1",
      "a-2",
      "a-10",
      "a_",
      "a1",
      "b",
    ]);
  });
});
