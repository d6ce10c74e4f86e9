/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logging interface the runtime writes to; machined adapts it to its log buffers
 * (`controller-runtime`). Lines from a controller carry `controller: <name>`.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Discards everything. */
export const noopLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** A logger adding `fields` to every line (call-site fields win). */
export function withFields(log: Logger, fields: LogFields): Logger {
  const merge = (extra?: LogFields): LogFields => (extra === undefined ? fields : { ...fields, ...extra });
  return {
    debug: (m, f) => log.debug(m, merge(f)),
    info: (m, f) => log.info(m, merge(f)),
    warn: (m, f) => log.warn(m, merge(f)),
    error: (m, f) => log.error(m, merge(f)),
  };
}
