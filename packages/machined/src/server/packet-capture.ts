// machine.MachineService/PacketCapture. Talos opens an AF_PACKET socket on the interface, attaches the
// client's compiled BPF program and streams a pcap file. Node.js cannot open packet sockets without native
// code, so this node refuses the call with Unimplemented instead of streaming an empty capture; the
// interface is still checked first, as Talos does, so a typo gets NotFound.
import { stat } from "node:fs/promises";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Data, PacketCaptureRequest } from "@talos/machinery/api";

export const PACKET_CAPTURE_UNSUPPORTED =
  "packet capture is not supported on this node: it needs an AF_PACKET socket, which machined (Node.js, without native code) cannot open";

/** The PacketCapture stream of this node: NotFound for an unknown interface, else Unimplemented. */
export async function* packetCapture(req: PacketCaptureRequest, sysRoot = "/sys"): AsyncGenerator<Data> {
  const name = req.interface;
  const known =
    name !== "" &&
    !name.includes("/") &&
    name !== "." &&
    name !== ".." &&
    (await stat(`${sysRoot}/class/net/${name}`).then(
      () => true,
      () => false,
    ));
  if (!known) throw new ConnectError(`interface ${JSON.stringify(name)} not found`, Code.NotFound);
  throw new ConnectError(PACKET_CAPTURE_UNSUPPORTED, Code.Unimplemented);
}
