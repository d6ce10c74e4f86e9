import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  blockGraph,
  cpuUsage,
  formatCpuFrequency,
  gauge,
  headerLine,
  humanizeIBytes,
  memUsage,
  newNodeData,
  pushBounded,
  sanitizeLogLine,
  sparkline,
} from "./model.ts";

const times = (busy: number, idle: number) => ({
  user: busy,
  nice: 0,
  system: 0,
  idle,
  iowait: 0,
  irq: 0,
  softIrq: 0,
  steal: 0,
});

describe("dashboard model", () => {
  it("computes CPU usage from the delta of two samples, as Talos does", () => {
    assert.equal(cpuUsage(times(100, 900), times(150, 950)), 0.5);
    assert.equal(cpuUsage(times(100, 900), times(100, 1000)), 0);
    // No time passed, or counters reset: no figure rather than a wrong one.
    assert.equal(cpuUsage(times(100, 900), times(100, 900)), undefined);
    assert.equal(cpuUsage(times(100, 900), times(50, 950)), undefined);
    // iowait counts as idle.
    assert.equal(cpuUsage(times(0, 0), { ...times(10, 0), iowait: 30 }), 0.25);
  });

  it("computes memory usage as 1 - available/total", () => {
    assert.equal(memUsage(1000, 250), 0.75);
    assert.equal(memUsage(0, 0), undefined);
  });

  it("formats sizes and frequencies like the Talos header", () => {
    assert.equal(humanizeIBytes(24 * 1024 ** 3), "24 GiB");
    assert.equal(humanizeIBytes(1.5 * 1024 ** 3), "1.5 GiB");
    assert.equal(humanizeIBytes(512), "512 B");
    assert.equal(formatCpuFrequency(2600), "2.6GHz");
    assert.equal(formatCpuFrequency(800), "800MHz");
  });

  it("builds the header line", () => {
    const d = newNodeData("10.5.0.2");
    assert.equal(headerLine(d, 0), "10.5.0.2 (n/a): uptime n/a, n/a, n/a, PROCS n/a, CPU n/a, RAM n/a");
    Object.assign(d, {
      hostname: "talos-1",
      version: "v1.6.7",
      bootTime: 1000,
      cpus: 4,
      cpuMhz: 2400,
      memTotalKiB: 8 * 1024 * 1024,
      processes: 120,
      cpuUsage: 0.123,
      memUsage: 0.5,
    });
    assert.equal(
      headerLine(d, 1000_000 + 3_723_000),
      "talos-1 (v1.6.7): uptime 1h2m3s, 4x2.4GHz, 8.0 GiB, PROCS 120, CPU 12.3%, RAM 50.0%",
    );
  });

  it("draws sparklines, block graphs and gauges over the last samples", () => {
    assert.equal(sparkline([0, 0.5, 1], 5), "   ▄█");
    assert.equal(sparkline([1, 1, 1, 0], 2), "█ ");
    assert.deepEqual(blockGraph([0.5, 1, 0.01], 4, 2), ["  █ ", " ██▁"]);
    assert.deepEqual(blockGraph([0.6], 1, 2), ["▂", "█"]);
    assert.equal(gauge(0.5, 10), "[█████     ]");
    assert.equal(gauge(1, 4), "[████]");
    assert.equal(gauge(undefined, 3), "[   ]");
  });

  it("keeps histories bounded", () => {
    const h: number[] = [];
    pushBounded(h, [1, 2, 3], 2);
    pushBounded(h, [4], 2);
    assert.deepEqual(h, [3, 4]);
  });

  it("strips escapes and control characters from log lines", () => {
    assert.equal(sanitizeLogLine("\x1b[31mred\x1b[0m\tx\r"), "red    x");
  });
});
