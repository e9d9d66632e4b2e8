// The LLM-backed agent: one streamed chat completion per call, through the `openai` client, with
// every wait bounded by our own timers. The client's `timeout` only covers the wait for response
// headers and its retries sleep a long Retry-After in full, so both are replaced here: retries are
// counted and capped, and idle/total timeouts abort the request through an AbortController.
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import stripAnsi from 'strip-ansi';
import type { AgentRequest } from '../core/types.js';
import type { CallContext, LlmAgentClient, LlmResult } from './llm-types.js';
import type { JsonMode, LlmConfig } from './config.js';
import { redact } from './config.js';
import { parseAnswer } from './parse.js';
import { buildMessages, promptText, type ChatMessage } from './prompts.js';
import { oneLine, stripControl } from './sanitize.js';

export interface LlmClientOptions {
  /** Retries after the first attempt for 408/429/5xx, connection errors and stalls. */
  maxRetries?: number;
  /** The longest Retry-After honoured; a server asking for more is waited on only this long. */
  retryAfterCapMs?: number;
  backoffBaseMs?: number;
  /** Streamed text beyond this is not read: the request is aborted and what came is parsed. */
  maxResponseBytes?: number;
  random?: () => number;
  /** Replaces global fetch (tests, proxies). */
  fetch?: typeof fetch;
}

export type FormatLevel = Exclude<JsonMode, 'auto'>;

export interface LlmClient extends LlmAgentClient {
  /** The structured-output mode this endpoint accepted last (it starts at the configured one). */
  readonly jsonMode: FormatLevel;
}

const DEFAULTS = {
  maxRetries: 2,
  retryAfterCapMs: 5000,
  backoffBaseMs: 250,
  maxResponseBytes: 32 * 1024,
};
// Request-shape adaptations (dropping response_format, stream_options...) are not retries of a
// failure but they are still requests; this bounds them per call.
const MAX_ADAPTATIONS = 4;
const ERROR_MAX_CHARS = 200;

/** What this endpoint turned out to accept, learnt once per client and shared by its calls. */
interface Capabilities {
  format: FormatLevel;
  /** Whether the format may be downgraded when the endpoint refuses it (only in `auto`). */
  formatLadder: boolean;
  streamOptions: boolean;
  tokensParam: 'max_tokens' | 'max_completion_tokens';
  temperature: boolean;
}

type AbortCause = 'idle' | 'total' | 'cancelled' | 'too_large';

type AttemptOutcome =
  | { kind: 'done' }
  | { kind: 'adapt' }
  | { kind: 'retry'; error: string; retryAfterMs: number | null }
  | { kind: 'fail'; error: string };

export function createLlmClient(config: LlmConfig, options: LlmClientOptions = {}): LlmClient {
  if (config.mode !== 'llm' || !config.baseUrl || !config.model) {
    throw new Error(`createLlmClient needs an llm config, got ${config.mode}: ${config.reason}`);
  }
  const opts = { ...DEFAULTS, ...options };
  const random = options.random ?? Math.random;
  const model = config.model;
  const baseUrl = config.baseUrl;
  const secrets = [config.apiKey];
  const clean = (text: string) => oneLine(redact(text, secrets), ERROR_MAX_CHARS);

  const openai = new OpenAI({
    // Local servers need no key, but the client refuses to start without one and would
    // otherwise pick up OPENAI_API_KEY from the environment and send it to them.
    apiKey: config.apiKey ?? 'no-key',
    baseURL: baseUrl,
    maxRetries: 0,
    timeout: config.timeoutMs,
    // The client would print unparseable stream lines to the console, under the dashboard.
    logLevel: 'off',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const caps: Capabilities = {
    format: config.jsonMode === 'auto' ? 'json_schema' : config.jsonMode,
    formatLadder: config.jsonMode === 'auto',
    streamOptions: true,
    tokensParam: 'max_tokens',
    temperature: true,
  };

  async function ask(request: AgentRequest, prompt: string, ctx: CallContext): Promise<LlmResult> {
    const start = performance.now();
    const deadline = start + config.timeoutMs;
    // The prompt logged by the runtime is what gets sent: if the caller passed other text than
    // the standard prompt for this request, that text is sent as the user message.
    const messages: ChatMessage[] =
      prompt === promptText(request) ? buildMessages(request) : [{ role: 'user', content: prompt }];
    const maxTokens = request.kind === 'propose' ? config.maxTokens.propose : config.maxTokens.vote;

    let cause: AbortCause | null = null;
    let current: AbortController | null = null;
    const abortWith = (why: AbortCause) => {
      cause ??= why;
      current?.abort();
    };
    const onCancel = () => abortWith('cancelled');
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    const totalTimer = setTimeout(() => abortWith('total'), config.timeoutMs);

    let attempts = 0;
    let retries = 0;
    let adaptations = 0;
    let raw = '';
    let ttftMs: number | null = null;
    let tokens: { prompt: number; completion: number } | null = null;

    const finish = (error: string | null): LlmResult => {
      const latencyMs = performance.now() - start;
      const shownRaw = redact(stripControl(raw), secrets);
      if (error !== null) {
        return {
          ok: false,
          error: clean(error),
          raw: shownRaw,
          latencyMs,
          ttftMs,
          tokens,
          attempts,
        };
      }
      const parsed = parseAnswer(raw, request.kind);
      if (!parsed.ok) {
        return {
          ok: false,
          error: clean(`unusable answer: ${parsed.reason}`),
          raw: shownRaw,
          latencyMs,
          ttftMs,
          tokens,
          attempts,
        };
      }
      return {
        ok: true,
        raw: shownRaw,
        answer: parsed.answer,
        latencyMs,
        ttftMs,
        tokens,
        attempts,
      };
    };

    try {
      for (;;) {
        // Checked here as well as by the listeners: a cancel that lands while an idle stall is
        // being handled must still stop the retry.
        const stop =
          cause ??
          (ctx.signal.aborted ? 'cancelled' : performance.now() >= deadline ? 'total' : null);
        if (stop) return finish(abortMessage(stop, config));
        attempts++;
        const ctl = new AbortController();
        current = ctl;
        raw = '';
        const outcome = await attempt(ctl);
        current = null;
        switch (outcome.kind) {
          case 'done':
            return finish(null);
          case 'fail':
            return finish(outcome.error);
          case 'adapt':
            if (++adaptations > MAX_ADAPTATIONS)
              return finish('endpoint keeps refusing request parameters');
            continue;
          case 'retry': {
            if (retries >= opts.maxRetries) {
              return finish(`${outcome.error} (gave up after ${plural(attempts, 'attempt')})`);
            }
            retries++;
            const backoff = opts.backoffBaseMs * 2 ** (retries - 1) * (0.5 + random() / 2);
            const wait = Math.min(opts.retryAfterCapMs, outcome.retryAfterMs ?? backoff);
            if (performance.now() + wait >= deadline) {
              return finish(
                `${outcome.error} (no time left to retry within ${config.timeoutMs / 1000} s)`,
              );
            }
            // A retry after text was shown: say so in the stream, so the reader sees two answers
            // for what they are.
            if (raw !== '') ctx.onDelta(`\n[${oneLine(outcome.error, 60)}; retrying]\n`);
            raw = '';
            await sleep(wait, ctx.signal);
            continue;
          }
          default:
            return assertNever(outcome);
        }
      }
    } finally {
      clearTimeout(totalTimer);
      ctx.signal.removeEventListener('abort', onCancel);
    }

    async function attempt(ctl: AbortController): Promise<AttemptOutcome> {
      let idleTimer: ReturnType<typeof setTimeout> | undefined;
      const armIdle = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => abortWith('idle'), config.idleTimeoutMs);
      };
      let bytes = 0;
      let carry = '';
      const body = requestBody(request, messages, maxTokens);
      try {
        const stream = await openai.chat.completions.create(body, { signal: ctl.signal });
        armIdle();
        for await (const chunk of stream) {
          armIdle();
          if (chunk.usage) {
            tokens = {
              prompt: chunk.usage.prompt_tokens,
              completion: chunk.usage.completion_tokens,
            };
          }
          // Some servers send chunks without choices (usage-only, keep-alive).
          const delta = (chunk.choices as typeof chunk.choices | undefined)?.[0]?.delta?.content;
          if (!delta) continue;
          ttftMs ??= performance.now() - start;
          bytes += Buffer.byteLength(delta, 'utf8');
          raw += delta;
          carry = emit(carry + delta, ctx);
          if (bytes > opts.maxResponseBytes) {
            abortWith('too_large');
            break;
          }
        }
        flush(carry, ctx);
        carry = '';
        // An abort mid-stream ends the loop above without an error; only the signal tells.
        if (cause === 'too_large') {
          cause = null;
          return { kind: 'done' };
        }
        if (cause === 'idle') {
          cause = null;
          return { kind: 'retry', error: abortMessage('idle', config), retryAfterMs: null };
        }
        if (cause) return { kind: 'fail', error: abortMessage(cause, config) };
        return { kind: 'done' };
      } catch (err) {
        flush(carry, ctx);
        if (cause === 'idle') {
          cause = null;
          return { kind: 'retry', error: abortMessage('idle', config), retryAfterMs: null };
        }
        if (cause) return { kind: 'fail', error: abortMessage(cause, config) };
        return classify(err, body);
      } finally {
        clearTimeout(idleTimer);
      }
    }
  }

  function requestBody(
    request: AgentRequest,
    messages: ChatMessage[],
    maxTokens: number,
  ): ChatBody {
    const body: ChatBody = {
      model,
      messages,
      stream: true,
    };
    if (caps.streamOptions) body.stream_options = { include_usage: true };
    if (caps.temperature) body.temperature = config.temperature;
    if (caps.tokensParam === 'max_tokens') body.max_tokens = maxTokens;
    else body.max_completion_tokens = maxTokens;
    const format = responseFormat(request, caps.format);
    if (format) body.response_format = format;
    return body;
  }

  /** Sorts a thrown error into: adapt the request, retry it, or give up. */
  function classify(err: unknown, sent: ChatBody): AttemptOutcome {
    if (err instanceof APIUserAbortError) return { kind: 'fail', error: 'request aborted' };
    if (err instanceof APIConnectionError) {
      return { kind: 'retry', error: connectionMessage(err, baseUrl), retryAfterMs: null };
    }
    if (err instanceof APIError) {
      const status = err.status;
      const detail = apiErrorText(err);
      if (status === 400 || status === 422) {
        if (adaptTo(detail, sent)) return { kind: 'adapt' };
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
          error: `HTTP 404: model "${model}" or endpoint not found at ${baseUrl}`,
        };
      }
      if (status === undefined) {
        // An error object sent inside the stream: the server gave up mid-answer.
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

  /**
   * Adjusts the per-client capabilities to what a 400 says the endpoint refuses. Judged against
   * what this request sent: a parallel call may already have adapted, and then a retry with the
   * current capabilities is all that is needed (no second downgrade).
   */
  function adaptTo(detail: string, sent: ChatBody): boolean {
    const d = detail.toLowerCase();
    const sentFormat = sent.response_format?.type;
    if (
      /response_format|json_schema|json_object|structured output|guided/.test(d) &&
      (sentFormat === 'json_schema' || sentFormat === 'json_object')
    ) {
      if (!caps.formatLadder) return false;
      if (caps.format === sentFormat)
        caps.format = sentFormat === 'json_schema' ? 'json_object' : 'off';
      return true;
    }
    if (d.includes('stream_options') && sent.stream_options) {
      caps.streamOptions = false;
      return true;
    }
    if (
      d.includes('max_tokens') &&
      d.includes('max_completion_tokens') &&
      sent.max_tokens != null
    ) {
      caps.tokensParam = 'max_completion_tokens';
      return true;
    }
    if (d.includes('temperature') && sent.temperature != null) {
      caps.temperature = false;
      return true;
    }
    return false;
  }

  return {
    model,
    baseUrl,
    get jsonMode() {
      return caps.format;
    },
    ask,
  };
}

type ChatBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
type ResponseFormat =
  OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming['response_format'];

function responseFormat(request: AgentRequest, level: FormatLevel): ResponseFormat | undefined {
  if (level === 'off') return undefined;
  if (level === 'json_object') return { type: 'json_object' };
  const schema =
    request.kind === 'propose'
      ? {
          type: 'object',
          properties: {
            node_id: { type: 'string', enum: request.nodes.map((n) => n.id) },
            score: { type: 'number' },
            reasoning: { type: 'string' },
          },
          required: ['node_id', 'score', 'reasoning'],
          additionalProperties: false,
        }
      : {
          type: 'object',
          properties: {
            vote: { type: 'string', enum: ['accept', 'reject'] },
            confidence: { type: 'number' },
            reasoning: { type: 'string' },
          },
          required: ['vote', 'confidence', 'reasoning'],
          additionalProperties: false,
        };
  return {
    type: 'json_schema',
    json_schema: { name: request.kind === 'propose' ? 'proposal' : 'vote', strict: true, schema },
  };
}

/**
 * Sends the delta with control sequences removed, holding back an escape sequence cut in half
 * at the chunk boundary (its tail would otherwise show as text). Returns the held-back part.
 */
function emit(text: string, ctx: CallContext): string {
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

function flush(carry: string, ctx: CallContext): void {
  const shown = stripControl(carry);
  if (shown) ctx.onDelta(shown);
}

function retryAfterMs(headers: Headers | undefined): number | null {
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

function apiErrorText(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : err.message;
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

function abortMessage(cause: AbortCause, config: LlmConfig): string {
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

/** Resolves after `ms`, or at once when the signal aborts (the caller then sees the cause). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
