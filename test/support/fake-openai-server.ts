// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: the real `openai` client talks
// HTTP and SSE to it, and each request can be scripted to misbehave the way real endpoints do
// (slow, rate-limited, stalled, dropped, broken JSON). Unscripted requests get a "sensible model"
// that reads the prompt and answers correctly.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  /** Reads the prompt and answers like a careful model. */
  | { kind: 'sensible' }
  /** Sends this exact text as the model's answer (streamed in chunks when asked to stream). */
  | { kind: 'text'; text: string }
  /** An HTTP error with an OpenAI-style error body unless `body` is given. */
  | {
      kind: 'status';
      status: number;
      message?: string;
      body?: string;
      headers?: Record<string, string>;
    }
  /** Sends `text`, then nothing more until the client goes away. */
  | { kind: 'stall'; text?: string }
  /** Sends `text`, then destroys the socket (before any response header with `beforeHeaders`). */
  | { kind: 'drop'; text?: string; beforeHeaders?: boolean }
  /** Sends `text`, then an error object inside the stream. */
  | { kind: 'stream-error'; text?: string; message: string }
  /** One SSE line that never ends: `data: ` then `bytes` of 'x' (unbounded by default), no newline. */
  | { kind: 'endless-line'; bytes?: number }
  /** SSE comment lines (`: keep-alive`) every `everyMs`, forever: data arrives, no answer does. */
  | { kind: 'drip'; everyMs: number }
  /** Streams `before`, the request's own API key, then `after`: a server echoing the key. */
  | { kind: 'echo-key'; before?: string; after?: string }
  /** Status 200 with a JSON error body, whatever was asked. */
  | { kind: 'json-error-200'; message: string }
  /** A whole chat.completion JSON body even when a stream was asked for. */
  | { kind: 'non-streamed'; text?: string };

export interface Script {
  reply: Reply;
  /** Delay before the response headers. */
  latencyMs?: number;
  /** Delay between streamed chunks. */
  tokenDelayMs?: number;
  /** Characters per streamed chunk. */
  chunkChars?: number;
  /** Holds the response until this settles (after `latencyMs`): lets a test line up requests. */
  holdUntil?: Promise<unknown>;
}

export interface FakeServerOptions {
  latencyMs?: number;
  tokenDelayMs?: number;
  chunkChars?: number;
  /** The response_format types accepted; a request with another gets a 400 naming response_format. */
  responseFormats?: ('json_schema' | 'json_object')[];
  /** Answer 400 to any request carrying stream_options. */
  rejectStreamOptions?: boolean;
  /** Model ids listed by /v1/models; null makes /v1/models answer 404. */
  models?: string[] | null;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /** Unscripted requests get this text instead of the sensible model's answer (a prose model). */
  defaultText?: string;
}

export interface RecordedRequest {
  index: number;
  method: string;
  path: string;
  /** The parsed JSON body (chat completions) or null. */
  body: ChatBody | null;
  authorization: string | null;
  startedAt: number;
  endedAt: number | null;
  /** How the exchange ended: `complete`, `status 429`, `dropped`, `client closed`... */
  outcome: string | null;
}

export interface ChatBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  response_format?: { type: string };
  messages?: { role: string; content: string }[];
}

export class FakeOpenAiServer extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly queue: Script[] = [];
  private handler: ((req: RecordedRequest) => Script | undefined) | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly server: Server;
  private port = 0;

  private constructor(private readonly options: FakeServerOptions) {
    super();
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeOpenAiServer> {
    const fake = new FakeOpenAiServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Scripts the next requests, in order; once used up, requests get the sensible model. */
  enqueue(...scripts: Script[]): void {
    this.queue.push(...scripts);
  }

  /** Scripts by looking at each request (takes precedence over the queue when it answers). */
  setHandler(handler: ((req: RecordedRequest) => Script | undefined) | null): void {
    this.handler = handler;
  }

  /** Forgets recorded requests and scripts between tests. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.handler = null;
    this.maxInFlight = this.inFlight;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  /** Resolves when `predicate` holds, checked now and after every request event. */
  waitFor(predicate: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        this.off('change', check);
        resolve();
      };
      this.on('change', check);
      check();
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.removeAllListeners();
  }

  private later(ms: number, fn: () => void): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const rec: RecordedRequest = {
      index: this.requests.length,
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      body: null,
      authorization: req.headers.authorization ?? null,
      startedAt: performance.now(),
      endedAt: null,
      outcome: null,
    };
    try {
      rec.body = text ? (JSON.parse(text) as ChatBody) : null;
    } catch {
      rec.body = null;
    }
    this.requests.push(rec);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const pending = new Set<ReturnType<typeof setTimeout>>();
    const end = (outcome: string) => {
      if (rec.endedAt !== null) return;
      rec.endedAt = performance.now();
      rec.outcome = outcome;
      this.inFlight--;
      for (const t of pending) {
        clearTimeout(t);
        this.timers.delete(t);
      }
      this.emit('change');
    };
    res.on('close', () =>
      end(res.writableFinished ? (rec.outcome ?? 'complete') : 'client closed'),
    );
    this.emit('change');

    const later = (ms: number, fn: () => void) => {
      const t = this.later(ms, () => {
        pending.delete(t);
        fn();
      });
      pending.add(t);
    };

    if (this.options.apiKey && rec.authorization !== `Bearer ${this.options.apiKey}`) {
      sendError(res, 401, 'Incorrect API key provided', end);
      return;
    }
    if (rec.method === 'GET' && rec.path === '/v1/models') {
      if (this.options.models === null) {
        sendError(res, 404, 'Not Found', end);
        return;
      }
      const ids = this.options.models ?? ['fake-model'];
      sendJson(res, 200, {
        object: 'list',
        data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
      });
      end('complete');
      return;
    }
    if (rec.method !== 'POST' || rec.path !== '/v1/chat/completions' || !rec.body) {
      sendError(res, 404, `no route ${rec.method} ${rec.path}`, end);
      return;
    }
    const body = rec.body;
    const script: Script =
      this.handler?.(rec) ??
      this.queue.shift() ??
      (this.options.defaultText !== undefined
        ? { reply: { kind: 'text', text: this.options.defaultText } }
        : { reply: { kind: 'sensible' } });
    const latency = script.latencyMs ?? this.options.latencyMs ?? 0;
    later(latency, () => {
      const go = () => {
        if (rec.endedAt === null) this.respond(body, script, res, end, later, rec.authorization);
      };
      if (script.holdUntil) void script.holdUntil.then(go, go);
      else go();
    });
  }

  private respond(
    body: ChatBody,
    script: Script,
    res: ServerResponse,
    end: (outcome: string) => void,
    later: (ms: number, fn: () => void) => void,
    authorization: string | null = null,
  ): void {
    const format = body.response_format?.type;
    const accepted = this.options.responseFormats ?? ['json_schema', 'json_object'];
    if (format && format !== 'text' && !accepted.includes(format as 'json_schema')) {
      sendError(
        res,
        400,
        `response_format type ${format} is not supported by this server`,
        end,
        'response_format',
      );
      return;
    }
    if (this.options.rejectStreamOptions && body.stream_options) {
      sendError(
        res,
        400,
        'Unrecognized request argument supplied: stream_options',
        end,
        'stream_options',
      );
      return;
    }
    const reply = script.reply;
    if (reply.kind === 'drop' && reply.beforeHeaders) {
      res.socket?.destroy();
      end('dropped');
      return;
    }
    if (reply.kind === 'status') {
      if (reply.body !== undefined) {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body);
        end(`status ${reply.status}`);
      } else {
        sendError(
          res,
          reply.status,
          reply.message ?? `error ${reply.status}`,
          end,
          null,
          reply.headers,
        );
      }
      return;
    }
    if (reply.kind === 'json-error-200') {
      sendJson(res, 200, { error: { message: reply.message, type: 'server_error' } });
      end('json error 200');
      return;
    }
    if (reply.kind === 'endless-line' || reply.kind === 'drip') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (reply.kind === 'drip') {
        const tick = () => {
          if (res.destroyed) return;
          res.write(': keep-alive\n\n');
          later(reply.everyMs, tick);
        };
        tick();
        return;
      }
      res.write('data: {"choices":[{"index":0,"delta":{"content":"');
      const block = 'x'.repeat(64 * 1024);
      let left = reply.bytes ?? Number.POSITIVE_INFINITY;
      const pump = () => {
        while (!res.destroyed && left > 0) {
          const piece = left >= block.length ? block : block.slice(0, left);
          left -= piece.length;
          if (!res.write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
    const key = (authorization ?? '').replace(/^Bearer /, '');
    const content =
      reply.kind === 'echo-key'
        ? `${reply.before ?? ''}${key}${reply.after ?? ''}`
        : reply.kind === 'non-streamed'
          ? (reply.text ?? sensibleAnswer(body))
          : reply.kind === 'sensible'
            ? sensibleAnswer(body)
            : reply.kind === 'text'
              ? reply.text
              : (reply.text ?? '');
    const prompt_tokens = promptTokens(body);
    const completion_tokens = Math.ceil(content.length / 4);
    const usage = {
      prompt_tokens,
      completion_tokens,
      total_tokens: prompt_tokens + completion_tokens,
    };

    if (!body.stream || reply.kind === 'non-streamed') {
      if (reply.kind === 'drop') {
        res.socket?.destroy();
        end('dropped');
        return;
      }
      if (reply.kind === 'stall') return;
      sendJson(res, 200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 0,
        model: body.model ?? 'fake-model',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage,
      });
      end('complete');
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunkChars = Math.max(1, script.chunkChars ?? this.options.chunkChars ?? 8);
    const delay = script.tokenDelayMs ?? this.options.tokenDelayMs ?? 0;
    const pieces: string[] = [];
    for (let i = 0; i < content.length; i += chunkChars)
      pieces.push(content.slice(i, i + chunkChars));
    const model = body.model ?? 'fake-model';
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'chatcmpl-fake',
        object: 'chat.completion.chunk',
        created: 0,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;

    const afterText = () => {
      switch (reply.kind) {
        case 'stall':
          return;
        case 'drop':
          // After what was written has left, so the client sees the text and then the cut.
          res.write('', () => {
            res.socket?.destroy();
            end('dropped');
          });
          return;
        case 'stream-error':
          res.write(
            `data: ${JSON.stringify({ error: { message: reply.message, type: 'server_error' } })}\n\n`,
          );
          res.end();
          end('stream error');
          return;
        default:
          res.write(chunk({}, 'stop'));
          if (body.stream_options?.include_usage) {
            res.write(
              `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`,
            );
          }
          res.write('data: [DONE]\n\n');
          res.end();
          end('complete');
      }
    };
    res.write(chunk({ role: 'assistant', content: '' }, null));
    const send = (from: number) => {
      for (let i = from; ; i++) {
        if (res.destroyed) return;
        if (i >= pieces.length) {
          afterText();
          return;
        }
        res.write(chunk({ content: pieces[i] }, null));
        if (delay > 0) {
          later(delay, () => send(i + 1));
          return;
        }
      }
    };
    send(0);
  }
}

function promptTokens(body: ChatBody): number {
  const chars = (body.messages ?? []).reduce((n, m) => n + m.content.length, 0);
  return Math.ceil(chars / 4);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  end: (outcome: string) => void,
  param: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    { error: { message, type: 'invalid_request_error', param, code: null } },
    headers,
  );
  end(`status ${status}`);
}

interface FakeNode {
  id: string;
  cpus: number;
  ramGb: number;
  gpus: number;
}

/**
 * A model that follows the prompt: proposes the first listed node meeting the hard requirements,
 * accepts a candidate that is listed and meets them, and, shown only a one-line summary, accepts.
 */
export function sensibleAnswer(body: ChatBody): string {
  const prompt = (body.messages ?? []).map((m) => m.content).join('\n');
  const req = /Hard requirements: >= (\d+) GPUs, >= (\d+)GB RAM, >= (\d+) CPUs/.exec(prompt);
  const need = req ? { gpus: Number(req[1]), ramGb: Number(req[2]), cpus: Number(req[3]) } : null;
  const nodes: FakeNode[] = [];
  for (const m of prompt.matchAll(/^- (\S+) \([^)]*\): (\d+) CPUs, (\d+)GB RAM, (\d+) GPUs/gm)) {
    nodes.push({ id: m[1] ?? '', cpus: Number(m[2]), ramGb: Number(m[3]), gpus: Number(m[4]) });
  }
  const fits = (n: FakeNode) =>
    !need || (n.gpus >= need.gpus && n.ramGb >= need.ramGb && n.cpus >= need.cpus);
  if (prompt.includes('"node_id"')) {
    const best = nodes.find(fits);
    const pick = best ?? nodes[0];
    return JSON.stringify({
      node_id: pick?.id ?? 'n1',
      score: best ? 0.9 : 0.1,
      reasoning: best
        ? `${best.id} meets every hard requirement`
        : 'no node meets the requirements',
    });
  }
  const candidate = /CANDIDATE: (\S+)/.exec(prompt)?.[1] ?? /Top proposal: (\S+)/.exec(prompt)?.[1];
  if (nodes.length === 0) {
    return JSON.stringify({
      vote: 'accept',
      confidence: 0.8,
      reasoning: `the top proposal ${candidate ?? '?'} looks fine`,
    });
  }
  const node = nodes.find((n) => n.id === candidate);
  const ok = node !== undefined && fits(node);
  return JSON.stringify({
    vote: ok ? 'accept' : 'reject',
    confidence: 0.9,
    reasoning: ok
      ? `${candidate} meets the requirements`
      : `${candidate ?? '?'} is not a valid node for this job`,
  });
}
