// JSON.stringify's bytes, written straight into a byte buffer. A --json event is a flat object
// of short ASCII strings and small integers; building its text as a string and then encoding it
// cost about as much as the engine spent making the event (bench/json-output.ts). Here each
// character goes into the buffer once, and the long strings that recur (prompts, offline
// answers, reasoning) are copied from their cached bytes.
//
// The bytes are exactly JSON.stringify's (test/runtime/json-bytes.test.ts): plain objects,
// arrays, strings, numbers, booleans and null are written here; anything else (a toJSON, a
// class instance, a BigInt) goes through JSON.stringify itself. Like JSON.stringify, the C1
// controls and bidi overrides that jsonLine escapes are left raw: escapeUnsafeBytes does that
// once per batch.

/** A growable byte buffer: written from `len` on. */
export interface ByteSpace {
  buf: Buffer;
  len: number;
  /** Room for `bytes` more after `len`; may replace `buf`. */
  reserve(bytes: number): void;
}

// From this length a string's JSON bytes are looked up instead of written a character at a time:
// below it the lookup costs more than it saves (measured: 48 to 64 is as good as it gets).
const CACHED_FROM = 48;
/** Characters of cached strings, then the cache starts again. */
const CACHE_CHARS = 8_000_000;
/** Numbers other than small integers whose spelling is kept. */
const NUMBERS_KEPT = 1024;
/** Room for a separator, a key's quotes and colon, and any number, boolean or null. */
const SLACK = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

class JsonBytesWriter {
  private out!: ByteSpace;
  private b!: Buffer;
  private n = 0;
  private readonly cache = new Map<string, Buffer>();
  private readonly numbers = new Map<number, string>();
  private cachedChars = 0;

  write(value: unknown, out: ByteSpace): void {
    this.out = out;
    this.b = out.buf;
    this.n = out.len;
    this.room(SLACK);
    if (inheritsEnumerable()) {
      // Someone gave Object.prototype an enumerable property: for-in would write it.
      const text = JSON.stringify(value) as string | undefined;
      if (text !== undefined) this.stringified(text);
    } else this.value(value, true);
    out.len = this.n;
  }

  private room(bytes: number): void {
    if (this.n + bytes <= this.b.length) return;
    this.out.len = this.n;
    this.out.reserve(bytes);
    this.b = this.out.buf;
  }

  /** `top`: undefined, a function or a symbol is written as JSON.stringify writes it there. */
  private value(v: unknown, top = false): void {
    switch (typeof v) {
      case 'string':
        this.string(v);
        return;
      case 'number':
        this.number(v);
        return;
      case 'boolean':
        this.ascii(v ? 'true' : 'false');
        return;
      case 'object':
        if (v === null) this.ascii('null');
        else if (Array.isArray(v)) this.array(v);
        else if (isPlain(v)) this.object(v as Record<string, unknown>);
        else this.stringified(JSON.stringify(v) ?? 'null');
        return;
      default:
        // undefined, a function or a symbol: null in an array, nothing at the top (stringify
        // returns undefined there, and there is no line to write).
        if (!top) this.ascii('null');
    }
  }

  private object(o: Record<string, unknown>): void {
    this.b[this.n++] = 0x7b;
    let first = true;
    // for-in, not Object.keys (a fifth of the time): the same own keys in the same order, since
    // write() has made sure that Object.prototype has nothing enumerable to add.
    for (const key in o) {
      const v = o[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      this.key(key, first);
      first = false;
      this.value(v);
    }
    this.room(SLACK);
    this.b[this.n++] = 0x7d;
  }

  /** A key and its colon, after a comma unless it is the first. */
  private key(key: string, first: boolean): void {
    this.room(key.length + SLACK);
    let n = this.n;
    if (!first) this.b[n++] = COMMA;
    const end = quotedPlain(key, this.b, n);
    if (end < 0) {
      this.n = n;
      this.string(key);
    } else this.n = end;
    this.b[this.n++] = COLON;
  }

  private array(a: readonly unknown[]): void {
    this.b[this.n++] = 0x5b;
    for (let i = 0; i < a.length; i++) {
      this.room(SLACK);
      if (i > 0) this.b[this.n++] = COMMA;
      this.value(a[i]);
    }
    this.room(SLACK);
    this.b[this.n++] = 0x5d;
  }

  private string(s: string): void {
    const length = s.length;
    if (length >= CACHED_FROM) {
      const bytes = this.encoded(s);
      this.room(bytes.length + SLACK);
      this.b.set(bytes, this.n);
      this.n += bytes.length;
      return;
    }
    this.room(length + SLACK);
    const end = quotedPlain(s, this.b, this.n);
    if (end < 0) this.stringified(JSON.stringify(s));
    else this.n = end;
  }

  cached(): { strings: number; chars: number; numbers: number } {
    return { strings: this.cache.size, chars: this.cachedChars, numbers: this.numbers.size };
  }

  private encoded(s: string): Buffer {
    let bytes = this.cache.get(s);
    if (bytes === undefined) {
      if (this.cachedChars > CACHE_CHARS) {
        this.cache.clear();
        this.cachedChars = 0;
      }
      bytes = Buffer.from(JSON.stringify(s));
      this.cache.set(s, bytes);
      this.cachedChars += s.length;
    }
    return bytes;
  }

  private number(x: number): void {
    // Counts, times and round numbers: digits written directly, last first.
    if (x >= 0 && x < 0x40000000 && x === (x | 0)) {
      let digits = 1;
      for (let p = 10; p <= x; p *= 10) digits++;
      const b = this.b;
      let i = this.n + digits;
      this.n = i;
      while (x >= 10) {
        const q = (x / 10) | 0;
        b[--i] = 0x30 + (x - q * 10);
        x = q;
      }
      b[--i] = 0x30 + x;
      return;
    }
    // Anything else as JS spells it, which is how JSON.stringify spells a finite number (-0
    // included: both give 0). Weights, scores and quorums recur, and spelling one allocates.
    let text = this.numbers.get(x);
    if (text === undefined) {
      text = Number.isFinite(x) ? String(x) : 'null';
      if (this.numbers.size >= NUMBERS_KEPT) this.numbers.clear();
      this.numbers.set(x, text);
    }
    this.ascii(text);
  }

  /** Text known to be ASCII and to fit in SLACK. */
  private ascii(s: string): void {
    const b = this.b;
    for (let i = 0; i < s.length; i++) b[this.n++] = s.charCodeAt(i);
  }

  /** JSON text written as it is (UTF-8). */
  private stringified(text: string): void {
    this.room(text.length * 3 + SLACK);
    this.n += this.b.write(text, this.n);
  }
}

function inheritsEnumerable(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/**
 * Writes `s` in quotes at b[n..] if it is printable ASCII with nothing to escape, and returns
 * where it ends; else -1 (anything else, a control, non-ASCII or a surrogate, is left to
 * JSON.stringify). The caller has made room for it.
 */
function quotedPlain(s: string, b: Buffer, n: number): number {
  b[n++] = QUOTE;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return -1;
    b[n++] = c;
  }
  b[n++] = QUOTE;
  return n;
}

/** A plain object, which JSON.stringify writes key by key (no toJSON of its own). */
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (v as { toJSON?: unknown }).toJSON !== 'function'
  );
}

const writer = new JsonBytesWriter();

/**
 * Writes the bytes of JSON.stringify(value) into `out`, from `out.len` on, with no newline.
 * `value` must be JSON-serialisable (as for JSON.stringify: a cycle or a BigInt throws).
 */
export function writeJsonBytes(value: unknown, out: ByteSpace): void {
  writer.write(value, out);
}

/** What is cached now: long strings, their characters, spelt numbers (the bounds are tested). */
export function cached(): { strings: number; chars: number; numbers: number } {
  return writer.cached();
}
