// Why an attempt failed and what to do next: adapt the request, retry it, or give up with one
// line the user can act on. Errors come from the openai client, from undici underneath it (a
// dropped connection is a bare TypeError) and from our own aborts (stall, timeout, cancel).
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { LlmConfig } from './config.js';
import { retryAfterMs } from './llm-retry.js';
import { oneLine } from './sanitize.js';

export type AbortCause = 'idle' | 'total' | 'cancelled' | 'too_large';

export type AttemptOutcome =
  | { kind: 'done' }
  | { kind: 'adapt' }
  | { kind: 'retry'; error: string; retryAfterMs: number | null }
  | { kind: 'fail'; error: string };

/**
 * Sorts a thrown error into: adapt the request, retry it, or give up. `adapt` is asked whether
 * a refused request (400/422) can be reshaped, given the server's explanation.
 */
export function classify(
  err: unknown,
  { baseUrl, model }: { baseUrl: string; model: string },
  adapt: (detail: string) => boolean,
): AttemptOutcome {
  if (err instanceof APIUserAbortError) return { kind: 'fail', error: 'request aborted' };
  if (err instanceof APIConnectionError) {
    return { kind: 'retry', error: connectionMessage(err, baseUrl), retryAfterMs: null };
  }
  if (err instanceof APIError) {
    const status = err.status;
    const detail = apiErrorText(err);
    if (status === 400 || status === 422) {
      if (isContextOverflow(detail))
        return { kind: 'fail', error: `HTTP ${status} prompt too long for the model: ${detail}` };
      if (adapt(detail)) return { kind: 'adapt' };
      return { kind: 'fail', error: `HTTP ${status}: ${detail}` };
    }
    if (status === 401 || status === 403) {
      return {
        kind: 'fail',
        error: `HTTP ${status} unauthorized at ${baseUrl}: check the API key`,
      };
    }
    if (status === 404) {
      return {
        kind: 'fail',
        // The server's own words too: a 200 with an error body arrives here (server-quirks.ts).
        error: `HTTP 404: model "${model}" or endpoint not found at ${baseUrl}${detail === 'no detail' ? '' : ` (server: ${detail})`}`,
      };
    }
    if (status === undefined) {
      // An error object sent inside the stream: the server gave up mid-answer. A prompt over the
      // context (LM Studio reports it this way) would fail the same way again.
      if (isContextOverflow(detail))
        return { kind: 'fail', error: `stream error, prompt too long for the model: ${detail}` };
      return { kind: 'retry', error: `stream error: ${detail}`, retryAfterMs: null };
    }
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      const label =
        status === 429 ? 'rate limited' : status === 408 ? 'request timeout' : 'server error';
      return {
        kind: 'retry',
        error: `HTTP ${status} ${label}: ${detail}`,
        retryAfterMs: retryAfterMs(err.headers),
      };
    }
    return { kind: 'fail', error: `HTTP ${status}: ${detail}` };
  }
  // Undici reports a connection dropped mid-body as a TypeError ("terminated").
  const dropped =
    err instanceof TypeError && /terminated|fetch failed|network|socket/i.test(err.message);
  if (dropped || isNetworkError(err)) {
    return { kind: 'retry', error: `connection lost: ${errorText(err)}`, retryAfterMs: null };
  }
  if (err instanceof SyntaxError) {
    return { kind: 'fail', error: `malformed stream from ${baseUrl}: ${err.message}` };
  }
  return { kind: 'fail', error: errorText(err) };
}

export function abortMessage(cause: AbortCause, config: LlmConfig): string {
  switch (cause) {
    case 'cancelled':
      return 'cancelled';
    case 'idle':
      return `stalled: no data for ${config.idleTimeoutMs / 1000} s`;
    case 'total':
      return `timed out after ${config.timeoutMs / 1000} s`;
    case 'too_large':
      return 'response too large';
    default:
      return assertNever(cause);
  }
}

/** The first string `code` along an error's `cause` chain (undici nests ECONNREFUSED deep). */
export function networkCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * The wording of "the prompt does not fit the model's context" across servers: OpenAI/vLLM
 * ("maximum context length"), llama.cpp ("exceeds the available context size"), LM Studio
 * ("context the overflows", "greater than the context length"), codes like context_length_exceeded.
 */
export function isContextOverflow(detail: string): boolean {
  return /maximum context length|context[_ ]length[_ ]exceeded|exceeds the available context|context (the )?overflows|greater than the context length|exceed_context_size/i.test(
    detail,
  );
}

function apiErrorText(err: APIError): string {
  const body = err.error as
    { message?: unknown; type?: unknown; code?: unknown } | string | undefined;
  // LM Studio sends `{"error": "text"}`: the client then quotes the string in its message.
  const message =
    typeof body === 'string'
      ? body
      : typeof body?.message === 'string'
        ? [body.message, typeof body.code === 'string' ? `(${body.code})` : '']
            .filter(Boolean)
            .join(' ')
        : err.message;
  return oneLine(message.replace(/^\d{3}\s+/, ''), 160) || 'no detail';
}

function connectionMessage(err: APIConnectionError, baseUrl: string): string {
  const cause = (err as { cause?: unknown }).cause;
  const code = networkCode(cause);
  if (err instanceof APIConnectionTimeoutError)
    return `no response headers from ${baseUrl} in time`;
  if (code === 'ECONNREFUSED') return `connection refused at ${baseUrl}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found for ${baseUrl}`;
  return `connection failed to ${baseUrl}: ${code ?? errorText(cause ?? err)}`;
}

function isNetworkError(err: unknown): boolean {
  const code = networkCode(err);
  return code !== null && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code);
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = networkCode(err.cause);
    return code ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
