// How the runtime answers the core's `ask` effects. Each runner emits llm_request, streams
// llm_delta, emits llm_response, then delivers the parsed answer to the core.
import type { HybridEvent, LlmResponseEvent, WithoutTime } from '../core/events.js';
import type { AskEffect } from '../core/io.js';
import type { AnswerSource, ParsedAnswer } from '../core/types.js';

export interface CallHost {
  /** Simulated time now. */
  now(): number;
  emit(event: WithoutTime<HybridEvent>): void;
  /** Runs `fn` inside the runtime's loop at simulated time `at` (now, if `at` has passed). Waits while paused. */
  at(at: number, fn: () => void): void;
  deliver(callId: string, answer: ParsedAnswer): void;
  /** False at --speed max, where nobody could watch the text arrive. */
  streaming(): boolean;
}

/** Who answers for an agent: its model (null: the offline heuristic) and the endpoint's host. */
export interface AgentLabel {
  model: string | null;
  endpoint: string | null;
}

export const OFFLINE_LABEL: AgentLabel = { model: null, endpoint: null };

export interface CallRunner {
  readonly mode: 'offline' | 'llm' | 'replay';
  readonly model: string | null;
  /** Who answers for this agent, for run_start; absent means the runner's one model for all. */
  describe?(agent: string): AgentLabel;
  start(ask: AskEffect, host: CallHost): void;
  cancel(callIds: readonly string[]): void;
  cancelAll(): void;
  /** Calls waiting on something outside the simulated clock (a network). */
  inFlight(): number;
}

export function requestEvent(
  ask: AskEffect,
  source: AnswerSource,
  model: string | null,
  prompt: string,
  endpoint: string | null = null,
): WithoutTime<HybridEvent> {
  return {
    type: 'llm_request',
    round: ask.round,
    call_id: ask.callId,
    agent: ask.agent,
    phase: ask.phase,
    source,
    model,
    endpoint,
    prompt,
  };
}

/** What a response says beyond the call it answers; the rest comes from the ask. */
export type ResponseFields = Pick<
  LlmResponseEvent,
  'source' | 'raw' | 'latency_ms' | 'ttft_ms' | 'tokens' | 'error' | 'rejected_raw' | 'attempts'
>;

export function responseEvent(
  ask: AskEffect,
  fields: ResponseFields,
  label: AgentLabel = OFFLINE_LABEL,
): WithoutTime<HybridEvent> {
  return {
    type: 'llm_response',
    round: ask.round,
    call_id: ask.callId,
    agent: ask.agent,
    phase: ask.phase,
    model: label.model,
    endpoint: label.endpoint,
    ...fields,
  };
}

/** Splits text into pieces the size a model's stream would deliver. */
export function chunkText(text: string, size = 12): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}
