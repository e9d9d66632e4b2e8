// The LLM-backed agent: one streamed chat completion per call, through the `openai` client, with
// every wait bounded by our own timers. The client's `timeout` only covers the wait for response
// headers and its retries sleep a long Retry-After in full, so both are replaced here: retries are
// counted and capped, and idle/total timeouts abort the request through an AbortController.
import OpenAI from 'openai';
import { plural } from '../core/plural.js';
import type { AgentRequest } from '../core/types.js';
import type { LlmConfig } from './config.js';
import {
  boundedFetch,
  DEFAULT_READ_LIMITS,
  READ_WATCH,
  responseBodyError,
  type ReadLimits,
  type ReadWatch,
} from './bounded-fetch.js';
import { adaptTo, initialCapabilities, requestBody, type FormatLevel } from './llm-capabilities.js';
import { abortMessage, classify, type AbortCause, type AttemptOutcome } from './llm-errors.js';
import { callResult } from './llm-result.js';
import { retryWait, sleep } from './llm-retry.js';
import type { CallContext, LlmAgentClient, LlmResult } from './llm-types.js';
import { buildMessages, promptText, type ChatMessage } from './prompts.js';
import { oneLine } from './sanitize.js';
import { StreamRedactor } from './redact.js';
import { quirkFetch } from './server-quirks.js';
import { emit, flush } from './stream-text.js';

export { networkCode } from './llm-errors.js';
export type { FormatLevel } from './llm-capabilities.js';

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
  /** Bounds on what is read from a response (bounded-fetch.ts). */
  readLimits?: Partial<ReadLimits>;
}

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

export function createLlmClient(config: LlmConfig, options: LlmClientOptions = {}): LlmClient {
  if (config.mode !== 'llm' || !config.baseUrl || !config.model) {
    throw new Error(`createLlmClient needs an llm config, got ${config.mode}: ${config.reason}`);
  }
  const opts = { ...DEFAULTS, ...options };
  const random = options.random ?? Math.random;
  const model = config.model;
  const baseUrl = config.baseUrl;
  const secrets = [config.apiKey];

  const openai = new OpenAI({
    // Local servers need no key, but the client refuses to start without one and would
    // otherwise pick up OPENAI_API_KEY from the environment and send it to them.
    apiKey: config.apiKey ?? 'no-key',
    baseURL: baseUrl,
    maxRetries: 0,
    timeout: config.timeoutMs,
    // The client would print unparseable stream lines to the console, under the dashboard.
    logLevel: 'off',
    // The limits sit next to the network: nothing reads a body before they apply.
    fetch: quirkFetch(
      boundedFetch(options.fetch ?? globalThis.fetch, {
        ...DEFAULT_READ_LIMITS,
        ...options.readLimits,
      }),
    ),
  });

  const caps = initialCapabilities(config.jsonMode);

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

    const finish = (error: string | null): LlmResult =>
      callResult(
        raw,
        error,
        request.kind,
        { latencyMs: performance.now() - start, ttftMs, tokens, attempts },
        secrets,
      );

    // What is shown while the answer streams: controls stripped, then the key redacted, so a
    // server echoing the key never puts it on screen, even split across chunks.
    const redactor = new StreamRedactor(secrets);
    const shown = {
      onDelta: (text: string) => {
        const safe = redactor.push(text);
        if (safe) ctx.onDelta(safe);
      },
    };
    const endShown = () => {
      const rest = redactor.end();
      if (rest) ctx.onDelta(rest);
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
            const wait = retryWait(outcome.retryAfterMs, retries, opts, random);
            if (performance.now() + wait >= deadline) {
              return finish(
                `${outcome.error} (no time left to retry within ${config.timeoutMs / 1000} s)`,
              );
            }
            // A retry after text was shown: say so in the stream, so the reader sees two answers
            // for what they are.
            if (raw !== '') shown.onDelta(`\n[${oneLine(outcome.error, 60)}; retrying]\n`);
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
      const body = requestBody(caps, request, {
        model,
        messages,
        temperature: config.temperature,
        maxTokens,
      });
      try {
        // Idle means no bytes: a server sending data, even data that never makes a chunk, is
        // not stalled (it is bounded by the read limits and the total deadline instead).
        const watch: ReadWatch = { onBytes: armIdle };
        const stream = await openai.chat.completions.create(body, {
          signal: ctl.signal,
          fetchOptions: { [READ_WATCH]: watch } as Record<string, unknown>,
        });
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
          carry = emit(carry + delta, shown);
          if (bytes > opts.maxResponseBytes) {
            abortWith('too_large');
            break;
          }
        }
        flush(carry, shown);
        endShown();
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
        flush(carry, shown);
        endShown();
        if (cause === 'idle') {
          cause = null;
          return { kind: 'retry', error: abortMessage('idle', config), retryAfterMs: null };
        }
        if (cause) return { kind: 'fail', error: abortMessage(cause, config) };
        const bodyError = responseBodyError(err);
        if (bodyError) return { kind: 'fail', error: bodyError.message };
        return classify(err, { baseUrl, model }, (detail) => adaptTo(caps, detail, body));
      } finally {
        clearTimeout(idleTimer);
      }
    }
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

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
