// Answers for a rewound LLM run: the responses already received are delivered again (the same
// text, after the same delay, as a replay of a recording does), and only calls never answered
// go to the model.
import { offlineAnswer } from '../agents/offline.js';
import { parseAnswer } from '../agents/parse.js';
import type { LlmRequestEvent, LlmResponseEvent } from '../core/events.js';
import type { AskEffect } from '../core/io.js';
import type { AgentLabel, CallHost, CallRunner } from './calls.js';

/** Answers kept for rewinding; past this the oldest are forgotten (those calls go out again). */
const ANSWERS_LIMIT = 20_000;

export interface Answered {
  request: LlmRequestEvent;
  response: LlmResponseEvent;
}

/** Collects a live run's requests and responses, bounded, by call id. */
export class AnswerBook {
  private readonly requests = new Map<string, LlmRequestEvent>();
  private readonly answered = new Map<string, Answered>();

  note(event: LlmRequestEvent | LlmResponseEvent): void {
    if (event.type === 'llm_request') {
      this.requests.set(event.call_id, event);
      if (this.requests.size > ANSWERS_LIMIT) {
        const oldest = this.requests.keys().next().value;
        if (oldest !== undefined) this.requests.delete(oldest);
      }
      return;
    }
    const request = this.requests.get(event.call_id);
    if (request === undefined) return;
    this.answered.set(event.call_id, { request, response: event });
    if (this.answered.size > ANSWERS_LIMIT) {
      const oldest = this.answered.keys().next().value;
      if (oldest !== undefined) this.answered.delete(oldest);
    }
  }

  /** The answers so far (a snapshot: later answers do not change it). */
  snapshot(): ReadonlyMap<string, Answered> {
    return new Map(this.answered);
  }
}

export class RefeedCalls implements CallRunner {
  constructor(
    private readonly answers: ReadonlyMap<string, Answered>,
    private readonly live: CallRunner,
  ) {}

  get mode(): CallRunner['mode'] {
    return this.live.mode;
  }

  get model(): string | null {
    return this.live.model;
  }

  /** Who each agent talks to, as the live runner says (run_start carries it). */
  describe(agent: string): AgentLabel {
    return this.live.describe?.(agent) ?? { model: this.live.model, endpoint: null };
  }

  start(ask: AskEffect, host: CallHost): void {
    const answered = this.answers.get(ask.callId);
    if (answered === undefined) {
      this.live.start(ask, host);
      return;
    }
    const { request, response } = answered;
    const { t: _rt, ...requestEvent } = request;
    const { t: _st, ...responseEvent } = response;
    const begin = host.now();
    host.emit(requestEvent);
    host.at(begin + Math.max(0, response.t - request.t), () => {
      host.emit(responseEvent);
      const parsed = parseAnswer(response.raw, ask.phase);
      host.deliver(ask.callId, parsed.ok ? parsed.answer : offlineAnswer(ask.request));
    });
  }

  cancel(callIds: readonly string[]): void {
    this.live.cancel(callIds);
  }

  cancelAll(): void {
    this.live.cancelAll();
  }

  inFlight(): number {
    return this.live.inFlight();
  }
}
