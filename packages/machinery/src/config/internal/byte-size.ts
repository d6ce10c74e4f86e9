/** Byte sizes as `go-humanize.ParseBytes` reads them (`100 MB`, `4GiB`, `1073741824`). */

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 1024,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
  p: 1e15,
  pb: 1e15,
  pi: 1024 ** 5,
  pib: 1024 ** 5,
  e: 1e18,
  eb: 1e18,
  ei: 1024 ** 6,
  eib: 1024 ** 6,
};

/** The number of bytes, or `undefined` when the text is not a size. */
export function parseByteSize(s: string): number | undefined {
  const m = /^\s*([0-9][0-9.,]*)\s*([a-zA-Z]*)\s*$/.exec(s);
  if (m === null) return undefined;
  const num = Number((m[1] ?? "").replaceAll(",", ""));
  const unit = UNITS[(m[2] ?? "").toLowerCase()];
  if (Number.isNaN(num) || unit === undefined) return undefined;
  return Math.floor(num * unit);
}

/**
 * An install disk size condition (`4GB`, `>= 1TB`, `<2TB`): optional operator and a byte size.
 * Returns an error message, or `undefined` when valid.
 */
export function checkSizeMatcher(s: string): string | undefined {
  const m = /^(>=|<=|>|<|==)?\s*(.*)$/.exec(s.trim());
  const size = m?.[2] ?? "";
  if (parseByteSize(size) === undefined) return `failed to parse disk size ${size}`;
  return undefined;
}
