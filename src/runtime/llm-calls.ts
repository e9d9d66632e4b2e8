// Calls to a real model. The network runs on wall time; results land in the runtime's loop at
// the simulated time they arrive. A failed call falls back to the offline heuristic, and the
// event says `fallback` and why, so no offline answer is ever passed off as a model's.
import type { LlmAgentClient } from '../agents/llm-types.js';
import { offlineAnswer, renderAnswer } from '../agents/offline.js';
import { promptText } from '../agents/prompts.js';
import type { AskEffect } from '../core/io.js';
import { endpointHost } from '../agents/agent-endpoints.js';
import {
  requestEvent,
  responseEvent,
  type AgentLabel,
  type CallHost,
  type CallRunner,
} from './calls.js';
import { Semaphore } from './semaphore.js';

export class LlmCalls implements CallRunner {
  readonly mode = 'llm' as const;
  private readonly controllers = new Map<string, AbortController>();
  private readonly semaphore: Semaphore;
  private readonly label: AgentLabel;

  /** A number is this runner's own limit; a Semaphore is shared with runners on the same endpoint. */
  constructor(
    private readonly client: LlmAgentClient,
    concurrency: number | Semaphore,
  ) {
    this.semaphore =
      concurrency instanceof Semaphore ? concurrency : new Semaphore(Math.max(1, concurrency));
    this.label = { model: client.model, endpoint: endpointHost(client.baseUrl) };
  }

  get model(): string {
    return this.client.model;
  }

  describe(): AgentLabel {
    return this.label;
  }

  start(ask: AskEffect, host: CallHost): void {
    const prompt = promptText(ask.request);
    host.emit(requestEvent(ask, 'llm', this.client.model, prompt, this.label.endpoint));
    const controller = new AbortController();
    this.controllers.set(ask.callId, controller);
    void this.run(ask, prompt, controller, host);
  }

  private async run(
    ask: AskEffect,
    prompt: string,
    controller: AbortController,
    host: CallHost,
  ): Promise<void> {
    const release = await this.semaphore.acquire();
    try {
      if (controller.signal.aborted) return;
      const result = await this.client.ask(ask.request, prompt, {
        callId: ask.callId,
        signal: controller.signal,
        onDelta: (text) => {
          if (!controller.signal.aborted)
            host.emit({ type: 'llm_delta', call_id: ask.callId, agent: ask.agent, text });
        },
      });
      // A cancelled call (stale round, quit) must not touch the run any more.
      if (controller.signal.aborted) return;
      const arrivedAt = host.now();
      // No longer waiting on the network: at --speed max the clock may jump again.
      this.controllers.delete(ask.callId);
      host.at(arrivedAt, () => {
        const answer = result.ok ? result.answer : offlineAnswer(ask.request);
        host.emit(
          responseEvent(
            ask,
            {
              source: result.ok ? 'llm' : 'fallback',
              raw: result.ok ? result.raw : renderAnswer(answer),
              latency_ms: Math.round(result.latencyMs),
              ttft_ms: result.ttftMs === null ? null : Math.round(result.ttftMs),
              tokens: result.tokens,
              error: result.ok ? null : result.error,
              rejected_raw: result.ok ? null : result.raw,
              attempts: result.attempts,
            },
            this.label,
          ),
        );
        host.deliver(ask.callId, answer);
      });
    } finally {
      release();
      this.controllers.delete(ask.callId);
    }
  }

  cancel(callIds: readonly string[]): void {
    for (const id of callIds) this.controllers.get(id)?.abort();
  }

  cancelAll(): void {
    for (const c of this.controllers.values()) c.abort();
  }

  inFlight(): number {
    return this.controllers.size;
  }
}
