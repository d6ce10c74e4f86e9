// Go formatting that talosctl's output depends on, reproduced for byte-identical tables: go-humanize's
// Bytes, time.Duration and time.Time strings, os.FileMode, time.Format layouts and %q quoting.

const SI_UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB"] as const;

/** go-humanize `Bytes`: SI units, one decimal below 10 (`1.5 GB`, `12 MB`, `7 B`). */
export function humanizeBytes(value: bigint | number): string {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (n < 10) return `${Math.trunc(n)} B`;
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const unit = SI_UNITS[Math.min(e, SI_UNITS.length - 1)] ?? "B";
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  return val < 10 ? `${val.toFixed(1)} ${unit}` : `${goFixed0(val)} ${unit}`;
}

/** Go's `%.0f`: exact halves round to even (20.5 → 20), unlike toFixed. */
function goFixed0(v: number): string {
  const floor = Math.floor(v);
  if (v - floor === 0.5) return String(floor % 2 === 0 ? floor : floor + 1);
  return v.toFixed(0);
}

/**
 * Go's `time.Duration.String()` of a duration rounded to whole seconds (`time.Since(t).Round(time.Second)`):
 * `0s`, `45s`, `2m0s`, `26h3m4s`.
 */
export function goDurationSeconds(ms: number): string {
  const negative = ms < 0;
  // Round half away from zero, as time.Duration.Round does.
  let s = Math.round(Math.abs(ms) / 1000);
  if (s === 0) return "0s";
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  let out = `${s}s`;
  if (h > 0 || m > 0) out = `${m}m${out}`;
  if (h > 0) out = `${h}h${out}`;
  return negative ? `-${out}` : out;
}

/** A protobuf Timestamp as milliseconds since the epoch (undefined when absent). */
export function timestampMs(ts: { seconds: bigint; nanos: number } | undefined): number | undefined {
  if (ts === undefined) return undefined;
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Fractional seconds as Go's `.999999999` layout element prints them: trailing zeros dropped, none if zero. */
function goFraction(nanos: number): string {
  if (nanos === 0) return "";
  return `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}`;
}

/**
 * Go's `time.Time.String()` of a protobuf Timestamp (`AsTime()` is UTC):
 * `2024-01-02 15:04:05.123456789 +0000 UTC`. A missing timestamp is Go's zero time.
 */
export function goTimeStringUTC(ts: { seconds: bigint; nanos: number } | undefined): string {
  if (ts === undefined) return "0001-01-01 00:00:00 +0000 UTC";
  const d = new Date(Number(ts.seconds) * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${goFraction(ts.nanos)} +0000 UTC`
  );
}

/**
 * Go's `time.Now().String()`: local time with zone offset and name, plus the monotonic clock reading
 * (`2024-01-02 15:04:05.123456789 +0100 CET m=+0.012345678`).
 */
export function goNowString(now = new Date(), monotonicMs = performance.now()): string {
  const offsetMin = -now.getTimezoneOffset();
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  const zone =
    new Intl.DateTimeFormat("en-US", { timeZoneName: "short" })
      .formatToParts(now)
      .find((p) => p.type === "timeZoneName")?.value ?? "UTC";
  const nanos = now.getMilliseconds() * 1e6;
  return (
    `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}${goFraction(nanos)} ` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)} ${zone} m=+${(monotonicMs / 1000).toFixed(9)}`
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** Go `Format("Jan _2 15:04:05")` in local time. */
export function goStampLocal(d: Date): string {
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Go `Format("Jan _2 2006 15:04")` in local time. */
export function goStampYearLocal(d: Date): string {
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Go's `os.FileMode(mode).String()`, e.g. `drwxr-xr-x`, `Lrwxrwxrwx`, `-rw-r--r--`. */
export function goFileMode(mode: number): string {
  const kinds = "dalTLDpSugct?";
  let out = "";
  for (let i = 0; i < kinds.length; i++) {
    // Bit 31 - i; `>>> 0` keeps bit 31 unsigned.
    if (((mode >>> 0) & (2 ** (31 - i))) !== 0) out += kinds[i];
  }
  if (out === "") out = "-";
  const rwx = "rwxrwxrwx";
  for (let i = 0; i < 9; i++) out += (mode & (1 << (8 - i))) !== 0 ? rwx[i] : "-";
  return out;
}

/** Go's `%q` of a string (close enough for the names talosctl quotes: escapes like JSON). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's `%v` of a []string: `[a b c]`. */
export function goStringSlice(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}

/** The name of an enum value as Go's `String()` prints it (the number when unknown). */
export function enumName(values: Readonly<Record<string, number>>, value: number): string {
  for (const [name, v] of Object.entries(values)) if (v === value) return name;
  return String(value);
}

/** Go's `%016x` of an etcd member ID. */
export function formatMemberId(id: bigint): string {
  return id.toString(16).padStart(16, "0");
}
