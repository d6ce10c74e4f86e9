import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { defaultTalosconfigPaths, locateTalosconfig, SERVICE_ACCOUNT_TALOSCONFIG } from "./locate-talosconfig.ts";

describe("locateTalosconfig", () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "talosconfig-locate-"));
  });
  after(async () => rm(home, { recursive: true, force: true }));

  it("lists $TALOSCONFIG, ~/.talos/config and the read-only service account path", () => {
    assert.deepEqual(defaultTalosconfigPaths({ env: { TALOSCONFIG: "/x/tc" }, home: "/h" }), [
      { path: "/x/tc", writeAllowed: true },
      { path: "/h/.talos/config", writeAllowed: true },
      { path: SERVICE_ACCOUNT_TALOSCONFIG, writeAllowed: false },
    ]);
    assert.deepEqual(
      defaultTalosconfigPaths({ env: { TALOSCONFIG: "" }, home: "/h" }).map((p) => p.path),
      ["/h/.talos/config", SERVICE_ACCOUNT_TALOSCONFIG],
    );
  });

  it("uses an explicit path as is", async () => {
    assert.deepEqual(await locateTalosconfig({ flag: "/nowhere/tc", env: {}, home }), {
      path: "/nowhere/tc",
      writeAllowed: true,
    });
  });

  it("picks the first existing default, else the first writable one", async () => {
    const env = { TALOSCONFIG: join(home, "env-config") };
    assert.equal((await locateTalosconfig({ env, home })).path, env.TALOSCONFIG);
    await mkdir(join(home, ".talos"));
    await writeFile(join(home, ".talos", "config"), "");
    assert.equal((await locateTalosconfig({ env, home })).path, join(home, ".talos", "config"));
    await writeFile(env.TALOSCONFIG, "");
    assert.equal((await locateTalosconfig({ env, home })).path, env.TALOSCONFIG);
  });
});
