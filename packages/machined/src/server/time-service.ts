// time.TimeService (talosctl time). Talos answers by querying its NTP server; a talos-ts node keeps no clock of
// its own: as a process or PID 1 of a container it shares the host kernel's clock, which the host's NTP
// client disciplines, and it runs no NTP client to query. Both times are therefore this machine's clock.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { TimeResponseSchema, type TimeService } from "@talos/machinery/api";

export interface TimeServiceOptions {
  /** The time server to report for `Time` (the first of machine.time.servers when configured). Default "". */
  server?: () => string;
  /** The clock; tests pin it. */
  now?: () => Date;
}

export function createTimeService(opts: TimeServiceOptions = {}): Partial<ServiceImpl<typeof TimeService>> {
  const now = opts.now ?? (() => new Date());
  const reply = (server: string) => {
    const t = now();
    return create(TimeResponseSchema, {
      messages: [{ server, localtime: timestampFromDate(t), remotetime: timestampFromDate(t) }],
    });
  };
  return {
    async time() {
      return reply(opts.server?.() ?? "");
    },
    /** The requested server is echoed; it is not queried (see above). */
    async timeCheck(req) {
      return reply(req.server);
    },
  };
}
