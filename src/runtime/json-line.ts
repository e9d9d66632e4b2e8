// One event as one JSON line, for --json and recordings. JSON.stringify escapes C0 controls but
// lets C1 controls (U+0080-U+009F: U+009B is a one-byte CSI to many terminals) and bidi overrides
// (U+202A-U+202E, U+2066-U+2069) through raw, so `cat run.jsonl` could still move the cursor or
// reorder what is shown. They are escaped as \uXXXX: the same JSON value, safe on a terminal.

const UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function jsonLine(value: unknown): string {
  return escapeUnsafe(JSON.stringify(value));
}

/** Where writeJsonLine puts a line: text to encode, or bytes already encoded. */
export interface ByteOut {
  text(text: string): void;
  bytes(bytes: Uint8Array): void;
}

// Prompts are most of a run's bytes (about 11 of 17.5 KB a round) and repeat from round to round
// (about 1,200 distinct in 40,000 calls of a chaos run): their encoded bytes are cached, so --json
// copies them instead of escaping and encoding them again (bench/json-output.ts).
const LONG_FIELD: Readonly<Record<string, string>> = { llm_request: 'prompt', llm_response: 'raw' };
const LONG_CHARS = 64;
/** Characters of cached text: a few MB, cleared when passed. */
const CACHE_CHARS = 8_000_000;
const cache = new Map<string, Buffer>();
let cachedChars = 0;

/** The same bytes as jsonLine(value), written to `out` (without the newline). */
export function writeJsonLine(value: unknown, out: ByteOut): void {
  const field = LONG_FIELD[(value as { type?: string } | null)?.type ?? ''];
  const long = field === undefined ? undefined : (value as Record<string, unknown>)[field];
  if (field === undefined || typeof long !== 'string' || long.length < LONG_CHARS) {
    out.text(jsonLine(value));
    return;
  }
  // The field is encoded as "" and its bytes spliced in: `"prompt":""` cannot occur inside a
  // JSON string (a quote in a string is always escaped), so the first match is the field itself.
  // The event is changed for the moment of one stringify rather than copied: a copy cost twice
  // as much, and every listener runs after this one has returned.
  const event = value as Record<string, unknown>;
  event[field] = '';
  let head: string;
  try {
    head = jsonLine(event);
  } finally {
    event[field] = long;
  }
  const marker = `"${field}":""`;
  const at = head.indexOf(marker);
  out.text(head.slice(0, at + marker.length - 2));
  out.bytes(encoded(long));
  out.text(head.slice(at + marker.length));
}

function encoded(text: string): Buffer {
  let bytes = cache.get(text);
  if (bytes === undefined) {
    if (cachedChars > CACHE_CHARS) {
      cache.clear();
      cachedChars = 0;
    }
    bytes = Buffer.from(jsonLine(text));
    cache.set(text, bytes);
    cachedChars += text.length;
  }
  return bytes;
}

function escapeUnsafe(text: string): string {
  // The test first: nearly every line has none, and a replace would copy it anyway.
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
