// Streamed model text on its way to the screen. Deltas are cut wherever the server flushed, so
// an escape sequence may arrive in two halves; the first half is held back until it completes.
import stripAnsi from 'strip-ansi';
import type { CallContext } from './llm-types.js';
import { stripControl } from './sanitize.js';

/**
 * Sends the delta with control sequences removed, holding back an escape sequence cut in half
 * at the chunk boundary (its tail would otherwise show as text). Returns the held-back part.
 */
export function emit(text: string, ctx: Pick<CallContext, 'onDelta'>): string {
  const lastEsc = Math.max(text.lastIndexOf('\u001b'), text.lastIndexOf('\u009b'));
  let carry = '';
  let out = text;
  if (lastEsc !== -1 && text.length - lastEsc < 64) {
    const tail = text.slice(lastEsc);
    // stripAnsi removes complete sequences only; an ESC still there starts an unfinished one.
    const rest = stripAnsi(tail);
    if (rest.startsWith('\u001b') || rest.startsWith('\u009b')) {
      carry = tail;
      out = text.slice(0, lastEsc);
    }
  }
  const shown = stripControl(out);
  if (shown) ctx.onDelta(shown);
  return carry;
}

/** Sends what `emit` held back once the stream has ended (the sequence will not complete). */
export function flush(carry: string, ctx: Pick<CallContext, 'onDelta'>): void {
  const shown = stripControl(carry);
  if (shown) ctx.onDelta(shown);
}
