import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatTalosconfigInfo, type TalosconfigInfo, talosconfigInfo } from "./info.ts";

describe("config info", () => {
  let dir: string;
  let crt: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "talosconfig-info-"));
    const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    run(["genpkey", "-algorithm", "ed25519", "-out", "k.pem"]);
    run([
      "req",
      "-x509",
      "-new",
      "-key",
      "k.pem",
      "-subj",
      "/O=os:future/O= os:admin /O=",
      "-days",
      "30",
      "-out",
      "c.pem",
    ]);
    crt = Buffer.from(await readFile(join(dir, "c.pem"))).toString("base64");
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it("reads roles and expiry from the client certificate", () => {
    const now = new Date();
    const info = talosconfigInfo({ name: "c", context: { endpoints: ["1.1.1.1"], crt } }, now);
    assert.deepEqual(info.roles, ["os:admin", "os:future"]);
    assert.equal(info.nodes, null);
    assert.match(info.certTTL, /^4 weeks from now$/);
    assert.match(info.certNotAfter, /^\d{4}-\d{2}-\d{2}$/);
    const later = new Date(now.getTime() + 40 * 24 * 3600 * 1000);
    assert.equal(talosconfigInfo({ name: "c", context: { endpoints: [], crt } }, later).certTTL, "1 week ago");
  });

  it("explains a certificate it cannot decode", () => {
    assert.throws(
      () => talosconfigInfo({ name: "c", context: { endpoints: [], crt: "not base64!" } }, new Date(), "tc"),
      /^CliError: error decoding the client certificate \(crt\) of context "c" in tc: expected base64 of a PEM certificate$/,
    );
    assert.throws(
      () => talosconfigInfo({ name: "c", context: { endpoints: [], crt: "aGVsbG8=" } }, new Date(), "tc"),
      /error decoding PEM/,
    );
  });

  it("renders text like talosctl", () => {
    const info: TalosconfigInfo = {
      context: "no-roles",
      nodes: ["172.20.1.2"],
      endpoints: ["172.20.1.2", "172.20.1.3"],
      roles: [],
      certTTL: "10 years from now",
      certNotAfter: "2031-07-03",
    };
    assert.equal(
      formatTalosconfigInfo(info, "text"),
      "Current context:     no-roles\n" +
        "Nodes:               172.20.1.2\n" +
        "Endpoints:           172.20.1.2, 172.20.1.3\n" +
        "Certificate expires: 10 years from now (2031-07-03)\n",
    );
    assert.equal(
      formatTalosconfigInfo({ ...info, nodes: null, endpoints: [], certTTL: "", certNotAfter: "" }, "text"),
      "Current context:     no-roles\nNodes:               not defined\nEndpoints:           not defined\n",
    );
  });

  it("renders JSON with Go's escaping", () => {
    const info: TalosconfigInfo = {
      context: "a<b>&",
      nodes: null,
      endpoints: [],
      roles: [],
      certTTL: "",
      certNotAfter: "",
    };
    assert.equal(
      formatTalosconfigInfo(info, "json"),
      '{\n  "context": "a\\u003cb\\u003e\\u0026",\n  "nodes": null,\n  "endpoints": [],\n  "roles": [],\n  "certTTL": "",\n  "certNotAfter": ""\n}\n',
    );
  });
});
