// Node's global `Headers` comes from its bundled undici (fetch), whose first use costs a node daemon ~17 MB
// resident (heap and binary pages). connect-es needs only the Headers class, so machined installs this small
// WHATWG-compatible one (imported first by main.ts, before any RPC constructs headers). It sorts names by
// code unit, never with localeCompare, which would page in ICU's collation data.

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\0\r\n]/;

type Init = Headers | Iterable<readonly [string, string]> | Record<string, string> | undefined;

function headerName(name: string): string {
  const n = String(name);
  if (!TOKEN.test(n)) throw new TypeError(`Headers: invalid header name ${JSON.stringify(n)}`);
  return n.toLowerCase();
}

function headerValue(value: string): string {
  const v = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  if (BAD_VALUE.test(v)) throw new TypeError("Headers: invalid header value");
  return v;
}

export class LightHeaders {
  readonly #values = new Map<string, string>();
  readonly #cookies: string[] = [];

  constructor(init?: Init) {
    if (init === undefined || init === null) return;
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === "function") {
      for (const pair of init as Iterable<readonly [string, string]>) {
        if (pair.length !== 2) throw new TypeError("Headers: each init pair needs a name and a value");
        this.append(pair[0], pair[1]);
      }
      return;
    }
    for (const [k, v] of Object.entries(init as Record<string, string>)) this.append(k, v);
  }

  append(name: string, value: string): void {
    const n = headerName(name);
    const v = headerValue(value);
    if (n === "set-cookie") {
      this.#cookies.push(v);
      return;
    }
    const old = this.#values.get(n);
    this.#values.set(n, old === undefined ? v : `${old}, ${v}`);
  }

  set(name: string, value: string): void {
    const n = headerName(name);
    const v = headerValue(value);
    if (n === "set-cookie") this.#cookies.splice(0, this.#cookies.length, v);
    else this.#values.set(n, v);
  }

  get(name: string): string | null {
    const n = headerName(name);
    if (n === "set-cookie") return this.#cookies.length > 0 ? this.#cookies.join(", ") : null;
    return this.#values.get(n) ?? null;
  }

  has(name: string): boolean {
    const n = headerName(name);
    return n === "set-cookie" ? this.#cookies.length > 0 : this.#values.has(n);
  }

  delete(name: string): void {
    const n = headerName(name);
    if (n === "set-cookie") this.#cookies.length = 0;
    else this.#values.delete(n);
  }

  getSetCookie(): string[] {
    return [...this.#cookies];
  }

  forEach(callback: (value: string, name: string, headers: this) => void, thisArg?: unknown): void {
    for (const [n, v] of this.entries()) callback.call(thisArg, v, n, this);
  }

  /** Sorted by name; each Set-Cookie on its own, as the standard iterates them. */
  *entries(): IterableIterator<[string, string]> {
    const names = [...this.#values.keys()];
    if (this.#cookies.length > 0) names.push("set-cookie");
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const n of names) {
      if (n === "set-cookie") for (const c of this.#cookies) yield [n, c];
      else yield [n, this.#values.get(n) ?? ""];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [n] of this.entries()) yield n;
  }

  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }
}

globalThis.Headers = LightHeaders as unknown as typeof globalThis.Headers;
