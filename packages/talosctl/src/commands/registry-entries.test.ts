import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import { commandEntries } from "./registry.ts";

test("every registry entry loads the command it names, with the same aliases", async () => {
  const seen = new Set<string>();
  for (const entry of commandEntries) {
    for (const name of [entry.name, ...(entry.aliases ?? [])]) {
      assert.ok(!seen.has(name), `${name} is registered twice`);
      seen.add(name);
    }
    const root = new Command("talosctl");
    (await entry.load())(root);
    const cmd = root.commands.find((c) => c.name() === entry.name);
    assert.ok(cmd, `${entry.name}: module registers no such command`);
    assert.deepEqual(cmd.aliases(), [...(entry.aliases ?? [])], `${entry.name}: aliases differ`);
  }
});
