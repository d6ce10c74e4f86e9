import { readdir, readFile, readlink } from "node:fs/promises";
import { basename, join } from "node:path";

/** A block device as the kernel describes it in sysfs. */
export interface BlockDevice {
  readonly name: string;
  readonly size: bigint;
  readonly model: string;
  readonly serial: string;
  readonly wwid: string;
  readonly modalias: string;
  readonly rotational: boolean;
  readonly readonly: boolean;
  readonly subsystem: string;
  readonly busPath: string;
}

const read = (path: string) =>
  readFile(path, "utf8").then(
    (s) => s.trim(),
    () => "",
  );

/** Whole disks from /sys/block, skipping virtual ones (loop, ram, zram, dm) that Talos does not list. */
export async function listBlockDevices(sysBlock = "/sys/block"): Promise<BlockDevice[]> {
  let names: string[];
  try {
    names = await readdir(sysBlock);
  } catch {
    return [];
  }
  const devices: BlockDevice[] = [];
  for (const name of names.sort()) {
    if (/^(loop|ram|zram|dm-|md|nbd|sr)/.test(name)) continue;
    const dir = join(sysBlock, name);
    const sectors = await read(join(dir, "size"));
    const subsystemLink = await readlink(join(dir, "device", "subsystem")).catch(() => "");
    const devicePath = await readlink(join(dir, "device")).catch(() => "");
    devices.push({
      name,
      size: BigInt(sectors === "" ? 0 : sectors) * 512n,
      model: await read(join(dir, "device", "model")),
      serial: (await read(join(dir, "device", "serial"))) || (await read(join(dir, "serial"))),
      wwid: (await read(join(dir, "wwid"))) || (await read(join(dir, "device", "wwid"))),
      modalias: await read(join(dir, "device", "modalias")),
      rotational: (await read(join(dir, "queue", "rotational"))) === "1",
      readonly: (await read(join(dir, "ro"))) === "1",
      subsystem: subsystemLink === "" ? "" : `/sys/class/${basename(subsystemLink)}`,
      busPath: devicePath.replace(/^(\.\.\/)+devices/, ""),
    });
  }
  return devices;
}
