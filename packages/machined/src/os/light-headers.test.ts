import assert from "node:assert/strict";
import { describe, test } from "node:test";

// Node's own class, captured before the module under test replaces the global.
const NodeHeaders = globalThis.Headers;
const { LightHeaders } = await import("./light-headers.ts");

describe("LightHeaders", () => {
  test("case-insensitive names, combined values, sorted iteration, like WHATWG Headers", () => {
    const h = new LightHeaders({ "Content-Type": "application/grpc", "X-B": " 1 " });
    h.append("x-b", "2");
    h.append("Set-Cookie", "a=1");
    h.append("set-cookie", "b=2");
    h.set("grpc-timeout", "5S");
    assert.equal(h.get("CONTENT-type"), "application/grpc");
    assert.equal(h.get("x-b"), "1, 2");
    assert.equal(h.get("missing"), null);
    assert.deepEqual(h.getSetCookie(), ["a=1", "b=2"]);
    assert.deepEqual(
      [...h],
      [
        ["content-type", "application/grpc"],
        ["grpc-timeout", "5S"],
        ["set-cookie", "a=1"],
        ["set-cookie", "b=2"],
        ["x-b", "1, 2"],
      ],
    );
    h.delete("X-B");
    assert.equal(h.has("x-b"), false);
    const copy = new LightHeaders(h as unknown as Headers);
    assert.deepEqual([...copy.keys()], ["content-type", "grpc-timeout", "set-cookie", "set-cookie"]);
    const seen: string[] = [];
    copy.forEach((v: string, n: string) => {
      seen.push(`${n}=${v}`);
    });
    assert.equal(seen[0], "content-type=application/grpc");
  });

  test("agrees with Node's own Headers on the same operations", () => {
    const ops = (h: { append(n: string, v: string): void; set(n: string, v: string): void }) => {
      h.append("B", "x");
      h.append("a", "y");
      h.append("b", "z");
      h.set("C", "\t w \t");
    };
    const mine = new LightHeaders();
    const node = new NodeHeaders();
    assert.notEqual(NodeHeaders, LightHeaders);
    ops(mine);
    ops(node);
    assert.deepEqual([...mine], [...(node as unknown as Iterable<[string, string]>)]);
  });

  test("refuses invalid names and values", () => {
    const h = new LightHeaders();
    assert.throws(() => h.append("bad name", "x"), /invalid header name/);
    assert.throws(() => h.set("x", "a\r\nb"), /invalid header value/);
    assert.throws(() => new LightHeaders([["only-name"]] as unknown as [string, string][]), /name and a value/);
  });
});
