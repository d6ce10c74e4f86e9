import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { cleanTarPath, extractFileFromTarGz, readTar } from "./tar.ts";

/** One ustar header + data, padded; `prefix` exercises the ustar name prefix. */
function entry(name: string, data: string, type = "0", prefix = ""): Buffer {
  const header = Buffer.alloc(512);
  const put = (s: string, off: number) => header.write(s, off, "utf8");
  const octal = (n: number, len: number) => `${n.toString(8).padStart(len - 1, "0")}\0`;
  put(name, 0);
  put(octal(0o600, 8), 100);
  put(octal(Buffer.byteLength(data), 12), 124);
  put(octal(0, 12), 136);
  put("        ", 148);
  put(type, 156);
  put("ustar\0", 257);
  put("00", 263);
  put(prefix, 345);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  const body = Buffer.from(data);
  return Buffer.concat([header, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

function tarGz(...entries: Buffer[]): Uint8Array {
  return gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
}

describe("tar reading", () => {
  it("finds a file by its cleaned name among other entries", () => {
    const archive = tarGz(entry("etc/", "", "5"), entry("./kubeconfig", "apiVersion: v1\n"));
    assert.equal(Buffer.from(extractFileFromTarGz(archive, "kubeconfig")).toString(), "apiVersion: v1\n");
  });

  it("reads ustar prefixes, GNU long names and PAX paths", () => {
    const long = "x".repeat(150);
    const pax = `${"path=pax/name".length + 4} path=pax/name\n`;
    const tar = Buffer.concat([
      entry("name", "a", "0", "some/prefix"),
      entry("././@LongLink", `${long}\0`, "L"),
      entry("truncated", "b"),
      entry("PaxHeaders/x", pax, "x"),
      entry("short", "c"),
      Buffer.alloc(1024),
    ]);
    assert.deepEqual(
      readTar(tar).map((e) => e.name),
      ["some/prefix/name", long, "pax/name"],
    );
  });

  it("fails with talosctl's wording", () => {
    assert.throws(() => extractFileFromTarGz(tarGz(entry("other", "x")), "kubeconfig"), {
      message: "couldn't find file kubeconfig in the archive",
    });
    assert.throws(() => extractFileFromTarGz(tarGz(entry("kubeconfig/", "", "5")), "kubeconfig"), {
      message: "kubeconfig is not a file",
    });
    assert.throws(() => extractFileFromTarGz(new Uint8Array([1, 2, 3]), "kubeconfig"), /error initializing gzip: /);
  });

  it("cleans paths like safepath.CleanPath", () => {
    assert.equal(cleanTarPath("./a/../b/"), "b");
    assert.equal(cleanTarPath("/etc//hosts"), "etc/hosts");
    assert.equal(cleanTarPath("."), "");
  });
});
