import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { Disk_DiskType, DisksResponseSchema, type StorageService } from "@talos/machinery/api";
import { listBlockDevices } from "../os/block-devices.ts";

/** storage.StorageService: the machine's disks, read from sysfs. */
export function createStorageService(sysBlock?: string): Partial<ServiceImpl<typeof StorageService>> {
  return {
    async disks() {
      const devices = await listBlockDevices(sysBlock);
      return create(DisksResponseSchema, {
        messages: [
          {
            disks: devices.map((d) => ({
              size: d.size,
              model: d.model,
              deviceName: `/dev/${d.name}`,
              name: d.name,
              serial: d.serial,
              modalias: d.modalias,
              wwid: d.wwid,
              type: d.name.startsWith("nvme")
                ? Disk_DiskType.NVME
                : d.name.startsWith("mmcblk")
                  ? Disk_DiskType.SD
                  : d.rotational
                    ? Disk_DiskType.HDD
                    : Disk_DiskType.SSD,
              busPath: d.busPath,
              subsystem: d.subsystem,
              readonly: d.readonly,
              systemDisk: false,
            })),
          },
        ],
      });
    },
  };
}
