// Answers for a rewound LLM run: the responses already received are delivered again (the same
// text, after the same delay, as a replay does), and only calls never answered go to the model.
import type { LlmRequestEvent, LlmResponseEvent, RunStartEvent } from '../core/events.js';
import type { AskEffect } from '../core/io.js';
import type { CallHost, CallRunner } from './calls.js';
import { ReplayCalls, type Recording } from './replay.js';

/** Answers kept for rewinding; past this the oldest are forgotten (those calls go out again). */
const ANSWERS_LIMIT = 20_000;

/** Collects a live run's requests and responses, bounded, as a recording in memory. */
export class AnswerBook {
  private start: RunStartEvent | null = null;
  private readonly requests = new Map<string, LlmRequestEvent>();
  private readonly responses = new Map<string, LlmResponseEvent>();

  note(event: RunStartEvent | LlmRequestEvent | LlmResponseEvent): void {
    if (event.type === 'run_start') this.start = event;
    else if (event.type === 'llm_request') this.requests.set(event.call_id, event);
    else if (this.requests.has(event.call_id)) this.responses.set(event.call_id, event);
    if (this.requests.size > ANSWERS_LIMIT) {
      const oldest = this.requests.keys().next().value;
      if (oldest !== undefined) {
        this.requests.delete(oldest);
        this.responses.delete(oldest);
      }
    }
  }

  /** The answers as a recording (a snapshot: later answers do not change it). */
  recording(): Recording | null {
    if (this.start === null) return null;
    return {
      start: this.start,
      requests: new Map(this.requests),
      responses: new Map(this.responses),
      commands: [],
      decisions: [],
    };
  }
}

export class RefeedCalls implements CallRunner {
  private readonly replay: ReplayCalls;

  constructor(
    private readonly recorded: Recording,
    private readonly live: CallRunner,
  ) {
    this.replay = new ReplayCalls(recorded);
  }

  get mode(): CallRunner['mode'] {
    return this.live.mode;
  }

  get model(): string | null {
    return this.live.model;
  }

  start(ask: AskEffect, host: CallHost): void {
    if (this.recorded.responses.has(ask.callId)) this.replay.start(ask, host);
    else this.live.start(ask, host);
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
