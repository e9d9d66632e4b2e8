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
    const headers = new Headers(res.headers);
    // The body is read here, decoded: a length or encoding from the server no longer applies.
    headers.delete('content-length');
    headers.delete('content-encoding');
    const streamRequest = res.ok && isStreamRequest(init?.body);
    if (streamRequest && /json/i.test(res.headers.get('content-type') ?? '')) {
      // One JSON body where a stream was asked for: read it (bounded), and if it is an answer,
      // hand it on as the stream it should have been. Anything else (an error with status 200)
      // goes on as it came, for the error handling to read.
      const text = await readAll(res.body.pipeThrough(bodyLimiter(limits, watch, 'plain')));
      const stream = answerAsStream(text);
      if (stream !== null) headers.set('content-type', 'text/event-stream');
      return new Response(stream ?? text, {
        status: res.status,
        statusText: res.statusText,
        headers,
      });
    }
    const body = res.body.pipeThrough(
      bodyLimiter(limits, watch, streamRequest ? 'sniff' : 'plain'),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

/** The error a body broke a limit with, also when the client wrapped it (a connection error). */
export function responseBodyError(err: unknown): ResponseBodyError | null {
  if (err instanceof ResponseBodyError) return err;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause instanceof ResponseBodyError ? cause : null;
}

function isStreamRequest(body: unknown): boolean {
  return typeof body === 'string' && /"stream"\s*:\s*true/.test(body);
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/** `plain`: limits only. `sniff`: an SSE stream unless its first non-blank byte opens a JSON object. */
function bodyLimiter(
  limits: ReadLimits,
  watch: ReadWatch | undefined,
  mode: 'plain' | 'sniff',
): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  let line = 0;
  let kind: 'plain' | 'json' | 'sse' | 'unknown' = mode === 'sniff' ? 'unknown' : 'plain';
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
      // A JSON body under an SSE content type: an answer becomes the stream, an error an SSE
      // error event (which the client raises with its message).
      const text = Buffer.concat(held).toString();
      controller.enqueue(new TextEncoder().encode(answerAsStream(text) ?? errorAsStream(text)));
    },
  });
}

function errorAsStream(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ResponseBodyError('a stream was asked for, and the body is neither SSE nor JSON');
  }
  const error = (value as { error?: unknown } | null)?.error;
  if (error === undefined || error === null)
    throw new ResponseBodyError('a stream was asked for, and the JSON body holds no answer');
  const body = typeof error === 'string' ? { message: error } : error;
  return `data: ${JSON.stringify({ error: body })}\n\n`;
}

/** One JSON answer to a stream request, as the SSE stream it should have been; null if not one. */
function answerAsStream(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = value as { choices?: { message?: { content?: unknown } }[]; usage?: unknown } | null;
  const content = v?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') return null;
  const chunk = { choices: [{ index: 0, delta: { content }, finish_reason: 'stop' }] };
  const usage = v?.usage ? `data: ${JSON.stringify({ choices: [], usage: v.usage })}\n\n` : '';
  return `data: ${JSON.stringify(chunk)}\n\n${usage}data: [DONE]\n\n`;
}
