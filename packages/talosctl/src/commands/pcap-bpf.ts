// --bpf-filter of talosctl pcap: a classic BPF program in `tcpdump -dd` form, one instruction a line
// (`{ 0x28, 0, 0, 0x0000000c },`). The node attaches it to its packet socket as is.
import { create } from "@bufbuild/protobuf";
import { type BPFInstruction, BPFInstructionSchema } from "@talos/machinery/api";
import { CliError } from "../cli/errors.ts";

const LINE = /^\{\s*0x([0-9a-fA-F]+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*0x([0-9a-fA-F]+)\s*\}\s*,?$/;

/** The instructions of a `tcpdump -dd` listing; empty input is no filter. */
export function parseBpfInstructions(text: string): BPFInstruction[] {
  const result: BPFInstruction[] = [];
  for (const raw of text.trim().split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const fail = (why: string) =>
      new CliError(`--bpf-filter: error parsing bpf instruction ${JSON.stringify(line)}: ${why}`);
    const m = LINE.exec(line);
    if (m === null) throw fail('expected "{ 0x<op>, <jt>, <jf>, 0x<k> }," as printed by tcpdump -dd');
    const [op, jt, jf, k] = [
      Number.parseInt(m[1] ?? "", 16),
      Number(m[2]),
      Number(m[3]),
      Number.parseInt(m[4] ?? "", 16),
    ];
    // The kernel's sock_filter: a 16-bit opcode, 8-bit jump offsets, a 32-bit constant.
    if (op > 0xffff) throw fail("the opcode does not fit in 16 bits");
    if (jt > 0xff || jf > 0xff) throw fail("a jump offset does not fit in 8 bits");
    if (k > 0xffffffff) throw fail("the constant does not fit in 32 bits");
    result.push(create(BPFInstructionSchema, { op, jt, jf, k }));
  }
  return result;
}
