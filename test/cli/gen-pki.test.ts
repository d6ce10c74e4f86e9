import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { runTalosctl, tempDir } from "./harness.ts";

const run = promisify(execFile);

async function openssl(args: string[], cwd: string): Promise<string> {
  return (await run("openssl", args, { cwd })).stdout;
}

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe("talosctl gen ca|key|csr|crt|keypair", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  before(async () => {
    dir = await tempDir();
  });
  after(async () => dir.cleanup());
  const talosctl = async (...args: string[]) => {
    const r = await runTalosctl(["gen", ...args], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
  };

  it("gen ca writes <org>.crt, <org>.key and <org>.sha256 (0600), an Ed25519 CA valid 87600 h", async () => {
    await talosctl("ca", "--organization", "talos");
    for (const f of ["talos.crt", "talos.key", "talos.sha256"]) assert.equal(await mode(join(dir.path, f)), 0o600, f);
    const text = await openssl(["x509", "-in", "talos.crt", "-noout", "-text"], dir.path);
    assert.match(text, /Signature Algorithm: ED25519/);
    assert.match(text, /Subject: O ?= ?talos/);
    assert.match(text, /CA:TRUE/);
    assert.match(await readFile(join(dir.path, "talos.key"), "utf8"), /^-----BEGIN ED25519 PRIVATE KEY-----\n/);
    // The hash file is sha256 over the SubjectPublicKeyInfo, no newline.
    const spki = (
      await run(
        "sh",
        ["-c", "openssl x509 -in talos.crt -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum"],
        { cwd: dir.path },
      )
    ).stdout;
    assert.equal(await readFile(join(dir.path, "talos.sha256"), "utf8"), `sha256:${spki.split(" ")[0]}`);
    await openssl(["verify", "-CAfile", "talos.crt", "talos.crt"], dir.path);
  });

  it("gen ca --rsa makes an RSA CA signed sha512WithRSAEncryption; --hours sets the lifetime", async () => {
    await talosctl("ca", "--organization", "rsa", "--rsa", "--hours", "48");
    const text = await openssl(["x509", "-in", "rsa.crt", "-noout", "-text"], dir.path);
    assert.match(text, /sha512WithRSAEncryption/);
    assert.match(text, /Public-Key: \(4096 bit\)/);
    const dates = await openssl(["x509", "-in", "rsa.crt", "-noout", "-startdate", "-enddate"], dir.path);
    const [start, end] = dates
      .trim()
      .split("\n")
      .map((l) => Date.parse(l.replace(/^\w+=/, "")));
    assert.equal((end ?? 0) - (start ?? 0), 48 * 3600 * 1000);
    assert.match(await readFile(join(dir.path, "rsa.key"), "utf8"), /^-----BEGIN RSA PRIVATE KEY-----\n/);
  });

  it("gen key, gen csr and gen crt make an admin client certificate that verifies against the CA", async () => {
    await talosctl("key", "--name", "admin");
    assert.equal(await mode(join(dir.path, "admin.key")), 0o600);
    await talosctl("csr", "--key", "admin.key", "--ip", "10.5.0.2", "--roles", "os:reader,os:admin");
    assert.equal(await mode(join(dir.path, "admin.csr")), 0o600);
    await openssl(["req", "-in", "admin.csr", "-noout", "-verify"], dir.path);
    await talosctl("crt", "--ca", "talos", "--csr", "admin.csr", "--name", "admin");
    assert.equal(await mode(join(dir.path, "admin.crt")), 0o600);
    assert.equal((await openssl(["verify", "-CAfile", "talos.crt", "admin.crt"], dir.path)).trim(), "admin.crt: OK");
    const text = await openssl(["x509", "-in", "admin.crt", "-noout", "-text"], dir.path);
    assert.match(text, /Subject: O ?= ?os:admin ?\+ ?O ?= ?os:reader/);
    assert.match(text, /Extended Key Usage: *\n *TLS Web Client Authentication\n/);
    assert.match(text, /IP Address:10\.5\.0\.2/);
  });

  it("gen crt also takes the CA certificate's path, and --hours", async () => {
    await talosctl("crt", "--ca", "talos.crt", "--csr", "admin.csr", "--name", "admin2", "--hours", "1");
    assert.equal((await openssl(["verify", "-CAfile", "talos.crt", "admin2.crt"], dir.path)).trim(), "admin2.crt: OK");
  });

  it("gen keypair writes a self-signed Ed25519 certificate with the IP SAN that openssl verifies", async () => {
    await talosctl("keypair", "--organization", "node", "--ip", "192.168.1.10");
    for (const f of ["node.crt", "node.key"]) assert.equal(await mode(join(dir.path, f)), 0o600, f);
    assert.equal((await openssl(["verify", "-CAfile", "node.crt", "node.crt"], dir.path)).trim(), "node.crt: OK");
    const text = await openssl(["x509", "-in", "node.crt", "-noout", "-text"], dir.path);
    assert.match(text, /IP Address:192\.168\.1\.10/);
    assert.match(text, /Signature Algorithm: ED25519/);
  });

  it("refuses to overwrite without --force, naming the file and writing nothing", async () => {
    const before = await readFile(join(dir.path, "talos.crt"), "utf8");
    const r = await runTalosctl(["gen", "ca", "--organization", "talos"], { cwd: dir.path });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: talos.crt already exists, use --force to overwrite\n");
    assert.equal(await readFile(join(dir.path, "talos.crt"), "utf8"), before);
    const k = await runTalosctl(["gen", "key", "--name", "admin"], { cwd: dir.path });
    assert.equal(k.code, 1);
    assert.match(k.stderr, /admin\.key already exists/);
    await talosctl("key", "--name", "admin", "--force");
  });

  it("reports bad input with the flag it came from", async () => {
    const cases: [string[], RegExp][] = [
      [["csr", "--key", "nope.key", "--ip", "1.2.3.4"], /^error: --key: cannot read nope\.key: no such file\n$/],
      [["csr", "--key", "admin.key", "--ip", "1.2.3"], /^error: invalid IP: 1\.2\.3\n$/],
      [["csr", "--key", "admin.key", "--ip", "1.2.3.4", "--roles", "os:root"], /^error: unknown roles: os:root\n$/],
      [
        ["crt", "--ca", "nope", "--csr", "admin.csr", "--name", "x"],
        /^error: --ca: cannot read nope\.crt: no such file\n$/,
      ],
      [["crt", "--ca", "talos", "--csr", "admin.key", "--name", "x"], /^error: --csr admin\.key: unexpected PEM type/],
      [["keypair", "--organization", "n2", "--ip", "nope"], /^error: invalid IP: nope\n$/],
      [["ca"], /required option '--organization <organization>' not specified/],
      [["ca", "--organization", "x", "--hours", "many"], /'--hours <hours>' argument 'many' is invalid/],
    ];
    for (const [args, re] of cases) {
      const r = await runTalosctl(["gen", ...args], { cwd: dir.path });
      assert.equal(r.code, 1, args.join(" "));
      assert.match(r.stderr, re, args.join(" "));
    }
    await writeFile(join(dir.path, "bad.csr"), "garbage");
    const r = await runTalosctl(["gen", "crt", "--ca", "talos", "--csr", "bad.csr", "--name", "x"], { cwd: dir.path });
    assert.match(r.stderr, /--csr bad\.csr: no PEM block found/);
  });
});
