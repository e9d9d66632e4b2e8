// Model text is untrusted: it must never move the cursor, change colours, set the window title
// or ring the bell on the user's terminal. strip-ansi removes escape sequences (CSI, OSC, ...);
// what is left of C0/C1 controls and bidi overrides is removed here, keeping newlines and tabs.
import stripAnsi from 'strip-ansi';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function stripControl(text: string): string {
  return stripAnsi(text).replace(CONTROL, '');
}

/** One line for a narrow pane: controls stripped, whitespace runs folded, cut at `max` chars. */
export function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
  const flat = stripControl(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1))}…` : flat;
}

// Invisible characters a model (or an attacker) can put inside an id so that "n\u200b1" reads as
// n1 yet matches nothing: zero-width spaces and joiners, word joiners, direction marks, the BOM
// and the soft hyphen.
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;

/** A node id as looked up: compatibility forms folded (NFKC: "ｎ１" is n1), invisibles removed. */
export function normaliseId(text: string): string {
  return stripControl(text)
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '');
}
