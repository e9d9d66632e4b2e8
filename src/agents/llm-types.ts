// The contract between the runtime and an LLM-backed agent. The runtime composes fallback:
// when a call fails, it asks the offline heuristic and records source `fallback` with the error.
import type { AgentRequest, ParsedAnswer } from '../core/types.js';

export interface CallContext {
  callId: string;
  /** Aborted when the user quits or the round the call belongs to is abandoned. */
  signal: AbortSignal;
  /** Each streamed chunk of text as it arrives (already stripped of control sequences). */
  onDelta(text: string): void;
}

export type LlmResult =
  | {
      ok: true;
      raw: string;
      answer: ParsedAnswer;
      latencyMs: number;
      ttftMs: number | null;
      tokens: { prompt: number; completion: number } | null;
      attempts: number;
    }
  | {
      ok: false;
      /** One line saying why the call could not be used (timeout, HTTP 500, unparseable output...). */
      error: string;
      /** Whatever text did arrive (for the log), control sequences stripped. */
      raw: string;
      latencyMs: number;
      ttftMs: number | null;
      tokens: { prompt: number; completion: number } | null;
      attempts: number;
    };

export interface LlmAgentClient {
  readonly model: string;
  readonly baseUrl: string;
  ask(request: AgentRequest, prompt: string, ctx: CallContext): Promise<LlmResult>;
}
