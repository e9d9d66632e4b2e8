// Offline answers on the simulated clock: the text streams in over the agent's thinking time,
// so the dashboard looks alive, and everything stays reproducible from the seed.
import { offlineAnswer, renderAnswer, type OfflineNoise } from '../agents/offline.js';
import { seedPrng } from '../core/prng.js';
import { promptText } from '../agents/prompts.js';
import type { AskEffect } from '../core/io.js';
import type { AgentRequest, ParsedAnswer } from '../core/types.js';
import { dropMember } from '../core/churn.js';
import { Memo, requestKey } from './memo.js';
import {
  chunkText,
  OFFLINE_LABEL,
  requestEvent,
  responseEvent,
  type AgentLabel,
  type CallHost,
  type CallRunner,
} from './calls.js';

/** Keeps the noise stream apart from the core's, which starts from the same seed. */
const NOISE_SALT = 0x6e6f6973;

/** An offline answer and its text. */
interface Made {
  answer: ParsedAnswer;
  raw: string;
}

/** What one request key names: its prompt, and its answer once one was made. */
interface Request {
  prompt: string;
  // Made on first use: a noisy proposal is drawn afresh each time and never stored.
  made: Made | null;
}

/**
 * The prompts and offline answers computed so far, one entry per request key, so a call looks
 * its key up once. A memo key names everything a prompt or answer depends on except the run's
 * agents, nodes and jobs, so a set may be shared only by runs with the same ones (a sweep's runs:
 * see sweep/run-one.ts).
 */
export interface OfflineMemos {
  requests: Memo<Request>;
}

export function offlineMemos(): OfflineMemos {
  return { requests: new Memo() };
}

export class OfflineCalls implements CallRunner {
  readonly mode = 'offline' as const;
  readonly model = null;
  private cancelled = new Set<string>();
  private readonly requests: Memo<Request>;
  private readonly noise: OfflineNoise | undefined;

  /**
   * `noise`: --offline-noise P with its own PRNG from the run's seed, drawn in the order the core
   * asks, so a run stays reproducible. `memos`: shared with earlier runs of the same catalogue.
   */
  constructor(noise?: { p: number; seed: number }, memos: OfflineMemos = offlineMemos()) {
    this.noise =
      noise && noise.p > 0
        ? { p: noise.p, rng: seedPrng((noise.seed ^ NOISE_SALT) >>> 0) }
        : undefined;
    this.requests = memos.requests;
  }

  describe(): AgentLabel {
    return OFFLINE_LABEL;
  }

  start(ask: AskEffect, host: CallHost): void {
    const request = ask.request;
    // find/add rather than get(key, make): no closure per call, two calls a replica a height.
    const key = requestKey(request);
    const known =
      this.requests.find(key) ??
      this.requests.add(key, { prompt: promptText(request), made: null });
    // Memoised for votes too: the same voter, job and candidate recur from height to height
    // (over 99% hits in a healthy run), and a prompt that is the same string object is cheap
    // for --json to look up in its encoded-bytes cache (its hash is computed once).
    host.emit(requestEvent(ask, 'offline', null, known.prompt));
    // A noisy proposal is drawn afresh each time: memoised, every round would repeat the first.
    const { answer, raw } =
      this.noise && request.kind === 'propose'
        ? this.make(request)
        : (known.made ??= this.make(request));
    const begin = host.now();
    if (host.streaming()) {
      const chunks = chunkText(raw);
      chunks.forEach((text, i) => {
        host.at(begin + Math.floor(((i + 1) * ask.thinkMs) / (chunks.length + 1)), () => {
          if (!this.cancelled.has(ask.callId))
            host.emit({ type: 'llm_delta', call_id: ask.callId, agent: ask.agent, text });
        });
      });
    }
    host.at(begin + ask.thinkMs, () => {
      if (this.cancelled.has(ask.callId)) {
        this.cancelled = dropMember(this.cancelled, ask.callId);
        return;
      }
      host.emit(
        responseEvent(ask, {
          source: 'offline',
          raw,
          latency_ms: ask.thinkMs,
          ttft_ms: null,
          tokens: null,
          error: null,
          rejected_raw: null,
          attempts: 1,
        }),
      );
      host.deliver(ask.callId, answer);
    });
  }

  private make(request: AgentRequest): Made {
    const answer = offlineAnswer(request, this.noise);
    return { answer, raw: renderAnswer(answer) };
  }

  cancel(callIds: readonly string[]): void {
    for (const id of callIds) this.cancelled.add(id);
  }

  cancelAll(): void {
    // Scheduled deliveries die with the runtime's queue; nothing runs outside it.
  }

  inFlight(): number {
    return 0;
  }
}
