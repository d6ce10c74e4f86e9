import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { connectEngine, DOCKER_SOCKET, PODMAN_CONTAINERS_CONF, parseEngineHost, podmanServicePaths } from "./engine.ts";

describe("engine", () => {
  it("parses DOCKER_HOST values", () => {
    assert.deepEqual(parseEngineHost("unix:///run/podman/podman.sock"), {
      options: { socketPath: "/run/podman/podman.sock" },
      socketPath: "/run/podman/podman.sock",
    });
    assert.deepEqual(parseEngineHost("tcp://127.0.0.1:2376"), {
      options: { host: "127.0.0.1", port: 2376, protocol: "http" },
      socketPath: undefined,
    });
    assert.deepEqual(parseEngineHost("tcp://docker").options, { host: "docker", port: 2375, protocol: "http" });
    assert.throws(() => parseEngineHost("ssh://x"), /expected unix:\/\/\/path or tcp:\/\/host:port/);
    assert.throws(() => parseEngineHost("unix://"), /empty socket path/);
  });

  it("keeps the podman service files under <stateDir>/podman", () => {
    assert.deepEqual(podmanServicePaths("/s"), {
      dir: "/s/podman",
      conf: "/s/podman/containers.conf",
      socket: "/s/podman/podman.sock",
      pid: "/s/podman/service.pid",
      log: "/s/podman/service.log",
    });
    assert.match(PODMAN_CONTAINERS_CONF, /default_ulimits = \["nofile=1024:1024", "nproc=1024:1024"\]/);
    assert.match(PODMAN_CONTAINERS_CONF, /runc = \["\/usr\/sbin\/runc"\]/);
  });

  it("fails clearly when the given host does not answer", async () => {
    await assert.rejects(
      connectEngine({ host: "unix:///nonexistent/docker.sock" }),
      /container engine at unix:\/\/\/nonexistent\/docker.sock does not answer/,
    );
  });
});

describe("engine without any", () => {
  it("says what to install when there is no engine at all", { skip: existsSync(DOCKER_SOCKET) }, async () => {
    const saved = process.env["DOCKER_HOST"];
    delete process.env["DOCKER_HOST"];
    try {
      await assert.rejects(
        connectEngine({ podman: "/nonexistent/podman", stateDir: "/nonexistent" }),
        /^Error: no container engine found: install Docker, or podman \(apt-get install podman runc\)/,
      );
    } finally {
      if (saved !== undefined) process.env["DOCKER_HOST"] = saved;
    }
  });
});
