// One event as one JSON line, for --json and recordings. JSON.stringify escapes C0 controls but
// lets C1 controls (U+0080-U+009F: U+009B is a one-byte CSI to many terminals) and bidi overrides
// (U+202A-U+202E, U+2066-U+2069) through raw, so `cat run.jsonl` could still move the cursor or
// reorder what is shown. They are escaped as \uXXXX: the same JSON value, safe on a terminal.

const UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function jsonLine(value: unknown): string {
  const text = JSON.stringify(value);
  // The test first: nearly every line has none, and a replace would copy it anyway.
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
