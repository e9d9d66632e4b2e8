// Retry timing: how long to wait before the next attempt, and a wait that a cancel cuts short.
// A server's Retry-After is honoured but capped, so one busy endpoint cannot stall a round.

/** The Retry-After a response asked for, in ms: `retry-after-ms`, then seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined): number | null {
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return null;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
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
