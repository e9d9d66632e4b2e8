// Where real servers depart from OpenAI's wire format in ways the `openai` client would hide,
// the responses are put into OpenAI's shape before the client reads them (a fetch wrapper):
// - vLLM before 0.9 sends errors flat, {"object":"error","message":...}: without the `error`
//   envelope the client keeps nothing of the message ("400 status code (no body)").
// - LM Studio answers a wrong path 200 with {"error": "Unexpected endpoint..."}: read as a stream
//   that is an empty answer; it becomes the 404 it means.
// - llama.cpp sends an error that happens after the stream began as an `error: {...}` SSE field,
//   which SSE readers ignore: it becomes a `data: {"error": ...}` event the client raises.
// Bodies are only read here when they are errors, and then bounded.

const MAX_ERROR_BODY = 64 * 1024;

export function quirkFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream') && res.body) return withSseErrors(res);
    if (!type.includes('json')) return res;
    // A success is passed on untouched unless it is an error in disguise (LM Studio).
    if (res.ok && !(await looksLikeError(res.clone()))) return res;
    const text = await boundedText(res);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return rebuild(res, text, res.status);
    }
    if (!isRecord(body)) return rebuild(res, text, res.status);
    if (res.ok) return rebuild(res, text, 404);
    if (!('error' in body) && typeof body['message'] === 'string')
      return rebuild(res, JSON.stringify({ error: body }), res.status);
    return rebuild(res, text, res.status);
  };
}

async function looksLikeError(res: Response): Promise<boolean> {
  const text = await boundedText(res);
  return /^\s*\{\s*"error"\s*:/.test(text) && !/"choices"\s*:|"data"\s*:/.test(text);
}

function withSseErrors(res: Response): Response {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let carry = '';
  const fix = (line: string) =>
    line.startsWith('error:') ? `data: {"error":${line.slice(6).trim() || 'null'}}` : line;
  const body = (res.body as ReadableStream<Uint8Array>).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        const lines = (carry + decoder.decode(chunk, { stream: true })).split('\n');
        carry = lines.pop() ?? '';
        if (lines.length > 0) out.enqueue(encoder.encode(lines.map(fix).join('\n') + '\n'));
      },
      flush(out) {
        const rest = carry + decoder.decode();
        if (rest) out.enqueue(encoder.encode(fix(rest)));
      },
    }),
  );
  return new Response(body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}

async function boundedText(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.length > MAX_ERROR_BODY) {
      await reader.cancel();
      break;
    }
  }
  return text.slice(0, MAX_ERROR_BODY);
}

function rebuild(res: Response, text: string, status: number): Response {
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(text, { status, statusText: res.statusText, headers });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
