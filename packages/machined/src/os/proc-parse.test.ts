import assert from "node:assert/strict";
import { test } from "node:test";
import {
  parseCmdline,
  parseCpuinfo,
  parseDiskstats,
  parseLoadAvg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parsePidStat,
  parseStat,
  unescapeMountField,
} from "./proc-parse.ts";

const MEMINFO = `MemTotal:       16323844 kB
MemFree:         1234567 kB
MemAvailable:    9876543 kB
Buffers:          123456 kB
Cached:          4567890 kB
SwapCached:            0 kB
Active(anon):     345678 kB
Inactive(file):  2345678 kB
NFS_Unstable:          0 kB
Committed_AS:    7654321 kB
ShmemPmdMapped:        0 kB
FileHugePages:         0 kB
HugePages_Total:       4
Hugepagesize:       2048 kB
DirectMap4k:      301904 kB
DirectMap2M:     8083456 kB
DirectMap1G:    10485760 kB
`;

test("meminfo: kB values as they are, keys mapped to MemInfo fields", () => {
  const m = parseMeminfo(MEMINFO);
  assert.equal(m.memtotal, 16323844n);
  assert.equal(m.memfree, 1234567n);
  assert.equal(m.memavailable, 9876543n);
  assert.equal(m.buffers, 123456n);
  assert.equal(m.cached, 4567890n);
  assert.equal(m.activeanon, 345678n);
  assert.equal(m.inactivefile, 2345678n);
  assert.equal(m.committedas, 7654321n);
  assert.equal(m.hugepagestotal, 4n);
  assert.equal(m.hugepagesize, 2048n);
  assert.equal(m.directmap4k, 301904n);
  assert.equal(m.directmap2m, 8083456n);
  assert.equal(m.directmap1g, 10485760n);
  assert.equal(m.swaptotal, 0n, "absent keys stay 0");
});

test("loadavg", () => {
  const l = parseLoadAvg("0.53 0.76 12.61 1/123 27649\n");
  assert.deepEqual([l.load1, l.load5, l.load15], [0.53, 0.76, 12.61]);
});

const STAT = `cpu  96564 10 28447 479978 2275 0 478 148 0 0
cpu0 46206 5 13597 243359 458 0 171 70 0 0
cpu2 50358 5 14849 236618 1816 0 307 78 0 0
intr 1000 10 0 5
ctxt 12345678
btime 1700000000
processes 27649
procs_running 2
procs_blocked 1
softirq 900 1 2 3 4 5 6 7 8 9 10
`;

test("stat: ticks become seconds, per-CPU by index, interrupt and process counters", () => {
  const s = parseStat(STAT);
  assert.equal(s.cpuTotal?.user, 965.64);
  assert.equal(s.cpuTotal?.nice, 0.1);
  assert.equal(s.cpuTotal?.idle, 4799.78);
  assert.equal(s.cpuTotal?.softIrq, 4.78);
  assert.equal(s.cpuTotal?.steal, 1.48);
  assert.equal(s.cpu.length, 3);
  assert.equal(s.cpu[0]?.system, 135.97);
  assert.equal(s.cpu[1]?.user, 0, "offline cpu1 is a zero entry");
  assert.equal(s.cpu[2]?.iowait, 18.16);
  assert.equal(s.irqTotal, 1000n);
  assert.deepEqual(s.irq, [10n, 0n, 5n]);
  assert.equal(s.contextSwitches, 12345678n);
  assert.equal(s.bootTime, 1700000000n);
  assert.equal(s.processCreated, 27649n);
  assert.equal(s.processRunning, 2n);
  assert.equal(s.processBlocked, 1n);
  assert.equal(s.softIrqTotal, 900n);
  assert.equal(s.softIrq?.hi, 1n);
  assert.equal(s.softIrq?.blockIoPoll, 6n);
  assert.equal(s.softIrq?.rcu, 10n);
});

const CPUINFO_X86 = `processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 17
model name\t: AMD EPYC
stepping\t: 1
microcode\t: 0x1000065
cpu MHz\t\t: 2596.132
cache size\t: 1024 KB
physical id\t: 0
siblings\t: 2
core id\t\t: 0
cpu cores\t: 2
apicid\t\t: 0
initial apicid\t: 0
fpu\t\t: yes
fpu_exception\t: yes
cpuid level\t: 28
wp\t\t: yes
flags\t\t: fpu vme de
bugs\t\t: sysret_ss_attrs spectre_v1
bogomips\t: 5192.26
TLB size\t: 3584 4K pages
clflush size\t: 64
cache_alignment\t: 64
address sizes\t: 48 bits physical, 48 bits virtual
power management:

processor\t: 1
vendor_id\t: AuthenticAMD
core id\t\t: 1
flags\t\t: fpu
bugs\t\t:
`;

test("cpuinfo: one entry per processor block, x86 keys", () => {
  const [c0, c1, ...rest] = parseCpuinfo(CPUINFO_X86);
  assert.equal(rest.length, 0);
  assert.ok(c0 && c1);
  assert.equal(c0.processor, 0);
  assert.equal(c0.vendorId, "AuthenticAMD");
  assert.equal(c0.cpuFamily, "25");
  assert.equal(c0.model, "17");
  assert.equal(c0.modelName, "AMD EPYC");
  assert.equal(c0.stepping, "1");
  assert.equal(c0.microcode, "0x1000065");
  assert.equal(c0.cpuMhz, 2596.132);
  assert.equal(c0.cacheSize, "1024 KB");
  assert.equal(c0.siblings, 2);
  assert.equal(c0.cpuCores, 2);
  assert.equal(c0.fpuException, "yes");
  assert.equal(c0.cpuIdLevel, 28);
  assert.deepEqual(c0.flags, ["fpu", "vme", "de"]);
  assert.deepEqual(c0.bugs, ["sysret_ss_attrs", "spectre_v1"]);
  assert.equal(c0.bogoMips, 5192.26);
  assert.equal(c0.clFlushSize, 64);
  assert.equal(c0.cacheAlignment, 64);
  assert.equal(c0.addressSizes, "48 bits physical, 48 bits virtual");
  assert.equal(c0.powerManagement, "");
  assert.equal(c1.processor, 1);
  assert.equal(c1.coreId, "1");
  assert.deepEqual(c1.bugs, []);
});

test("cpuinfo: arm64 keys", () => {
  const [c] = parseCpuinfo(
    "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\nCPU revision\t: 1\n",
  );
  assert.equal(c?.bogoMips, 50);
  assert.deepEqual(c?.flags, ["fp", "asimd", "evtstrm"]);
  assert.equal(c?.vendorId, "0x41");
  assert.equal(c?.model, "0xd0c");
  assert.equal(c?.stepping, "1");
});

test("diskstats: every device and their sum", () => {
  const { total, devices } = parseDiskstats(
    "   7       0 loop0 1 2 3 4 5 6 7 8 0 10 11 12 13 14 15 0 0\n" +
      " 259       0 nvme0n1 100 200 300 400 500 600 700 800 1 1000 1100 1200 1300 1400 1500 16 17\n" +
      "   8       0 sda 1 1 1 1 1 1 1 1 0 1 1\n",
  );
  assert.deepEqual(
    devices.map((d) => d.name),
    ["loop0", "nvme0n1", "sda"],
  );
  const nvme = devices[1];
  assert.equal(nvme?.readCompleted, 100n);
  assert.equal(nvme?.readTimeMs, 400n);
  assert.equal(nvme?.writeSectors, 700n);
  assert.equal(nvme?.ioInProgress, 1n);
  assert.equal(nvme?.ioTimeWeightedMs, 1100n);
  assert.equal(nvme?.discardTimeMs, 1500n);
  assert.equal(devices[2]?.discardCompleted, 0n, "pre-4.18 lines have no discard columns");
  assert.equal(total.name, "");
  assert.equal(total.readCompleted, 102n);
  assert.equal(total.discardTimeMs, 1515n);
});

test("net/dev: interfaces in file order, total named by the sorted names", () => {
  const { total, devices } = parseNetDev(
    "Inter-|   Receive                                                |  Transmit\n" +
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
      "    lo: 100 2 0 0 0 0 0 0 100 2 0 0 0 0 0 0\n" +
      "  eth0:12345678901 20 1 2 3 4 5 6 7000 70 8 9 10 11 12 13\n",
  );
  assert.deepEqual(
    devices.map((d) => d.name),
    ["lo", "eth0"],
  );
  const eth = devices[1];
  assert.equal(eth?.rxBytes, 12345678901n);
  assert.equal(eth?.rxMulticast, 6n);
  assert.equal(eth?.txBytes, 7000n);
  assert.equal(eth?.txCollisions, 11n);
  assert.equal(eth?.txCompressed, 13n);
  assert.equal(total.name, "eth0, lo");
  assert.equal(total.rxBytes, 12345679001n);
  assert.equal(total.txPackets, 72n);
});

test("mounts: octal escapes in source and target are undone", () => {
  assert.equal(unescapeMountField("a\\040b\\011c\\134d"), "a b\tc\\d");
  const m = parseMounts(
    "proc /proc proc rw,nosuid 0 0\n/dev/sda1 /mnt/my\\040disk ext4 rw,relatime 0 0\nmy\\040share /a\\134b fuse rw 0 0\n",
  );
  assert.deepEqual(
    m.map((x) => [x.source, x.target, x.fstype]),
    [
      ["proc", "/proc", "proc"],
      ["/dev/sda1", "/mnt/my disk", "ext4"],
      ["my share", "/a\\b", "fuse"],
    ],
  );
});

test("pid stat: a comm with spaces and parentheses", () => {
  const s = parsePidStat(
    "4242 (my (weird) cmd) S 1 4242 4242 0 -1 4194560 1 0 0 0 250 75 0 0 20 0 7 0 305511 3133440 413 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
  );
  assert.deepEqual(s, {
    pid: 4242,
    comm: "my (weird) cmd",
    state: "S",
    ppid: 1,
    cpuTicks: 325,
    threads: 7,
    vsize: 3133440n,
    rss: 413n,
  });
  assert.equal(parsePidStat("garbage"), undefined);
});

test("cmdline: NULs become spaces, trailing ones dropped", () => {
  assert.equal(parseCmdline(Buffer.from("/bin/sh\0-c\0echo hi\0")), "/bin/sh -c echo hi");
  assert.equal(parseCmdline(Buffer.alloc(0)), "");
});
