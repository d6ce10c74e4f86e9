import assert from "node:assert/strict";
import { test } from "node:test";
import { CliError } from "../cli/errors.ts";
import { parseBpfInstructions } from "./pcap-bpf.ts";

// `tcpdump -dd -y EN10MB 'tcp port 50000'`, first lines.
const LISTING = `{ 0x28, 0, 0, 0x0000000c },
{ 0x15, 0, 6, 0x000086dd },
{ 0x30, 0, 0, 0x00000014 },
{ 0x6, 0, 0, 0x00040000 },
`;

test("tcpdump -dd listings become BPF instructions", () => {
  const ins = parseBpfInstructions(LISTING);
  assert.deepEqual(
    ins.map((i) => [i.op, i.jt, i.jf, i.k]),
    [
      [0x28, 0, 0, 0x0c],
      [0x15, 0, 6, 0x86dd],
      [0x30, 0, 0, 0x14],
      [0x6, 0, 0, 0x40000],
    ],
  );
  assert.deepEqual(parseBpfInstructions(""), []);
  assert.deepEqual(parseBpfInstructions("  \n\n"), []);
  assert.equal(parseBpfInstructions("  { 0x6, 0, 0, 0xffffffff }  \n").length, 1);
});

test("malformed or out-of-range instructions name the flag and the line", () => {
  const cases: [string, RegExp][] = [
    ["ip and port 80", /expected "\{ 0x<op>, <jt>, <jf>, 0x<k> \}," as printed by tcpdump -dd/],
    ["{ 28, 0, 0, 0x0c },", /expected/],
    ["{ 0x10000, 0, 0, 0x0 },", /opcode does not fit in 16 bits/],
    ["{ 0x15, 256, 0, 0x0 },", /jump offset does not fit in 8 bits/],
    ["{ 0x15, 0, 0, 0x100000000 },", /constant does not fit in 32 bits/],
  ];
  for (const [line, why] of cases) {
    assert.throws(
      () => parseBpfInstructions(`{ 0x28, 0, 0, 0x0000000c },\n${line}`),
      (e: unknown) =>
        e instanceof CliError &&
        e.message.startsWith(`--bpf-filter: error parsing bpf instruction ${JSON.stringify(line)}: `) &&
        why.test(e.message),
      line,
    );
  }
});
