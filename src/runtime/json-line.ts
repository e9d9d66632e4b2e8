// One event as one JSON line, for recordings and redacted --json (json-bytes.ts writes the same
// bytes faster). JSON.stringify escapes C0 controls but lets C1 controls (U+0080-U+009F: U+009B
// is a one-byte CSI to many terminals) and bidi overrides (U+202A-U+202E, U+2066-U+2069) through
// raw, so `cat run.jsonl` could still move the cursor or reorder what is shown. They are escaped
// as \uXXXX: the same JSON value, safe on a terminal.
import { isAscii } from 'node:buffer';

const UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function jsonLine(value: unknown): string {
  return escapeUnsafe(JSON.stringify(value));
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
