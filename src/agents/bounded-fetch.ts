// The `fetch` the openai client is given: every response body is read through limits. The
// client's own SSE decoder copies its whole buffer for each new chunk of a line, so one endless
// line froze the process for seconds per megabyte (and its timers with it); bytes are also what
// tells a stalled server from a slow one, so each chunk is reported to the caller.
// A server that ignores `stream: true` and answers with one JSON body (the answer, or an error
// with status 200) is turned into the stream the client expects instead of reading as empty.

export interface ReadLimits {
  /** Longest SSE line, in bytes. */
  maxLineBytes: number;
  /** Longest response body, in bytes. */
  maxBodyBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxLineBytes: 256 * 1024,
  maxBodyBytes: 8 * 1024 * 1024,
};

/** Per request: passed through the client's `fetchOptions` under this key. */
export const READ_WATCH = 'hybridTuiReadWatch';

export interface ReadWatch {
  /** Called for every chunk of body that arrives. */
  onBytes(): void;
}

/** A body broke a limit, or was not what a stream request expects; the message says which. */
export class ResponseBodyError extends Error {
  override name = 'ResponseBodyError';
}

export function boundedFetch(
  base: typeof fetch = fetch,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): typeof fetch {
  return async (input, init) => {
    const watch = (init as Record<string, unknown> | undefined)?.[READ_WATCH] as
      ReadWatch | undefined;
    const res = await base(input, init);
    if (!res.body) return res;
    const streamRequest = res.ok && isStreamRequest(init?.body);
    const jsonBody = /json/i.test(res.headers.get('content-type') ?? '');
    const body = res.body.pipeThrough(
      bodyLimiter(limits, watch, streamRequest ? (jsonBody ? 'json' : 'sniff') : 'plain'),
    );
    const headers = new Headers(res.headers);
    // The body is read here, decoded: a length or encoding from the server no longer applies.
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}

function isStreamRequest(body: unknown): boolean {
  return typeof body === 'string' && /"stream"\s*:\s*true/.test(body);
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * `plain`: limits only. `json`: a stream request answered with one JSON body. `sniff`: an SSE
 * stream unless its first non-blank byte opens a JSON object.
 */
function bodyLimiter(
  limits: ReadLimits,
  watch: ReadWatch | undefined,
  mode: 'plain' | 'json' | 'sniff',
): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  let line = 0;
  let kind: 'plain' | 'json' | 'sse' | 'unknown' =
    mode === 'sniff' ? 'unknown' : mode === 'json' ? 'json' : 'plain';
  const held: Uint8Array[] = [];
  const kb = (n: number) => `${Math.round(n / 1024)} KB`;
  return new TransformStream({
    transform(chunk, controller) {
      watch?.onBytes();
      total += chunk.length;
      if (total > limits.maxBodyBytes) {
        throw new ResponseBodyError(
          `response too large: over ${kb(limits.maxBodyBytes)}, the rest not read`,
        );
      }
      if (kind === 'unknown') {
        const first = chunk.find((b) => b !== 0x20 && b !== 0x09 && b !== NEWLINE && b !== CR);
        if (first !== undefined) kind = first === 0x7b ? 'json' : 'sse';
      }
      if (kind === 'json' || kind === 'unknown') {
        held.push(chunk);
        return;
      }
      if (kind === 'sse') {
        for (const b of chunk) {
          if (b === NEWLINE || b === CR) line = 0;
          else if (++line > limits.maxLineBytes)
            throw new ResponseBodyError(
              `response too large: a stream line over ${kb(limits.maxLineBytes)}`,
            );
        }
      }
      controller.enqueue(chunk);
    },
    flush(controller) {
      if (kind !== 'json') {
        for (const chunk of held) controller.enqueue(chunk);
        return;
      }
      controller.enqueue(new TextEncoder().encode(jsonAsStream(Buffer.concat(held).toString())));
    },
  });
}

/** One JSON answer to a stream request, as the SSE stream it should have been. */
function jsonAsStream(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ResponseBodyError('a stream was asked for, and the body is neither SSE nor JSON');
  }
  const v = value as {
    error?: unknown;
    choices?: { message?: { content?: unknown } }[];
    usage?: unknown;
  };
  if (v.error !== undefined && v.error !== null) {
    const e = v.error as { message?: unknown } | string;
    const message =
      typeof e === 'string' ? e : typeof e.message === 'string' ? e.message : JSON.stringify(e);
    throw new ResponseBodyError(`the server answered with an error (status 200): ${message}`);
  }
  const content = v.choices?.[0]?.message?.content;
  if (typeof content !== 'string')
    throw new ResponseBodyError('a stream was asked for, and the JSON body holds no answer');
  const chunk = { choices: [{ index: 0, delta: { content }, finish_reason: 'stop' }] };
  const usage = v.usage ? `data: ${JSON.stringify({ choices: [], usage: v.usage })}\n\n` : '';
  return `data: ${JSON.stringify(chunk)}\n\n${usage}data: [DONE]\n\n`;
}
