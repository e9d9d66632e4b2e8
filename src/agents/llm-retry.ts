// Retry timing: how long to wait before the next attempt, and a wait that a cancel cuts short.
// A server's Retry-After is honoured but capped, so one busy endpoint cannot stall a round.

/**
 * The Retry-After a response asked for, in ms: `retry-after-ms`, then seconds or an HTTP date,
 * then OpenAI's `x-ratelimit-reset-requests` / `-tokens` durations ("1s", "6m0s", "120ms"),
 * which its 429s carry instead of a Retry-After.
 */
export function retryAfterMs(headers: Headers | undefined): number | null {
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value) {
    const seconds = Number.parseFloat(value);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => goDuration(headers.get(name)))
    .filter((x): x is number => x !== null);
  return resets.length > 0 ? Math.max(...resets) : null;
}

const DURATION_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A Go-style duration ("6m0s", "1.5s", "20ms") in ms; null for anything else (a bare number is not one). */
export function goDuration(text: string | null): number | null {
  if (!text || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(text.trim())) return null;
  let total = 0;
  for (const m of text.trim().matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g))
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] ?? 0);
  return total;
}

export interface RetryTiming {
  backoffBaseMs: number;
  retryAfterCapMs: number;
}

/**
 * The wait before retry number `retry` (1-based): the server's Retry-After when it sent one,
 * else exponential backoff with jitter; either way no longer than the cap.
 */
export function retryWait(
  retryAfter: number | null,
  retry: number,
  timing: RetryTiming,
  random: () => number,
): number {
  const backoff = timing.backoffBaseMs * 2 ** (retry - 1) * (0.5 + random() / 2);
  return Math.min(timing.retryAfterCapMs, retryAfter ?? backoff);
}

/** Resolves after `ms`, or at once when the signal aborts (the caller then sees the cause). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
