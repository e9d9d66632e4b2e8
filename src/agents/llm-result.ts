// The end of one call: the streamed text parsed into an answer, or the reason it is unusable.
// Everything handed back is safe to show and log: the key is redacted, control sequences go.
import type { CallPhase } from '../core/types.js';
import type { LlmResult } from './llm-types.js';
import { parseAnswer } from './parse.js';
import { redact } from './redact.js';
import { oneLine, stripControl } from './sanitize.js';

const ERROR_MAX_CHARS = 200;

export interface CallStats {
  latencyMs: number;
  ttftMs: number | null;
  tokens: { prompt: number; completion: number } | null;
  attempts: number;
}

/** The call's result from the text that arrived and the error that ended it (null: none). */
export function callResult(
  raw: string,
  error: string | null,
  phase: CallPhase,
  stats: CallStats,
  secrets: readonly (string | undefined)[],
): LlmResult {
  const clean = (text: string) => oneLine(redact(text, secrets), ERROR_MAX_CHARS);
  const shownRaw = redact(stripControl(raw), secrets);
  if (error !== null) {
    return { ok: false, error: clean(error), raw: shownRaw, ...stats };
  }
  const parsed = parseAnswer(raw, phase);
  if (!parsed.ok) {
    return {
      ok: false,
      error: clean(`unusable answer: ${parsed.reason}`),
      raw: shownRaw,
      ...stats,
    };
  }
  return { ok: true, raw: shownRaw, answer: parsed.answer, ...stats };
}
