// One event as one JSON line, for --json and recordings. JSON.stringify escapes C0 controls but
// lets C1 controls (U+0080-U+009F: U+009B is a one-byte CSI to many terminals) and bidi overrides
// (U+202A-U+202E, U+2066-U+2069) through raw, so `cat run.jsonl` could still move the cursor or
// reorder what is shown. They are escaped as \uXXXX: the same JSON value, safe on a terminal.
import { isAscii } from 'node:buffer';

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
// Below this a field is cheaper to stringify with its event than to look up and splice: an
// offline response (about 120 characters) was 12% slower spliced, a prompt (1,200) 2.5x faster.
const LONG_CHARS = 256;
/** Characters of cached text: a few MB, cleared when passed. */
const CACHE_CHARS = 8_000_000;
const cache = new Map<string, Buffer>();
let cachedChars = 0;

/**
 * The bytes of JSON.stringify(value), written to `out` (without the newline), NOT yet escaped:
 * whoever gathers them passes each batch through escapeUnsafeBytes, so jsonLine's bytes come out.
 * The escape is a character-for-character rewrite, valid on any run of whole lines, and done once
 * per batch it is one vectorised pass instead of a regular expression per event.
 */
export function writeJsonLine(value: unknown, out: ByteOut): void {
  const field = LONG_FIELD[(value as { type?: string } | null)?.type ?? ''];
  const long = field === undefined ? undefined : (value as Record<string, unknown>)[field];
  if (field === undefined || typeof long !== 'string' || long.length < LONG_CHARS) {
    out.text(JSON.stringify(value));
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
    head = JSON.stringify(event);
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

/** Whole lines of JSON as jsonLine writes them: C1 controls and bidi overrides escaped. */
export function escapeUnsafeBytes(chunk: Buffer): Buffer {
  if (!hasUnsafeBytes(chunk)) return chunk;
  return Buffer.from(chunk.toString('utf8').replace(UNSAFE_ALL, escapeChar));
}

/**
 * Whether UTF-8 bytes hold DEL, a C1 control (C2 80-9F) or a bidi override (E2 80 AA-AE,
 * E2 81 A6-A9). C2 and E2 only ever start a character, so a byte search for them finds every
 * candidate; text such as a prompt's "…" (E2 80 A6) is looked at and let through.
 */
function hasUnsafeBytes(b: Buffer): boolean {
  if (b.indexOf(0x7f) >= 0) return true;
  if (isAscii(b)) return false;
  for (let i = b.indexOf(0xc2); i >= 0; i = b.indexOf(0xc2, i + 2)) {
    const next = b[i + 1] ?? 0;
    if (next >= 0x80 && next <= 0x9f) return true;
  }
  for (let i = b.indexOf(0xe2); i >= 0; i = b.indexOf(0xe2, i + 3)) {
    const b1 = b[i + 1] ?? 0;
    const b2 = b[i + 2] ?? 0;
    if ((b1 === 0x80 && b2 >= 0xaa && b2 <= 0xae) || (b1 === 0x81 && b2 >= 0xa6 && b2 <= 0xa9))
      return true;
  }
  return false;
}

function escapeUnsafe(text: string): string {
  // The test first: nearly every line has none, and a replace would copy it anyway.
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
