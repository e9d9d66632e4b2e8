// Heterogeneous agents: each agent's calls go to its own runner (its own client, hence its own
// structured-output memory, or the offline heuristic). Runners on one endpoint share a semaphore
// of --concurrency slots; endpoints never share one, so a slow or failing server holds up only the
// agents that talk to it.
import type { LlmAgentClient } from '../agents/llm-types.js';
import type { AskEffect } from '../core/io.js';
import { OFFLINE_LABEL, type AgentLabel, type CallHost, type CallRunner } from './calls.js';
import { LlmCalls } from './llm-calls.js';
import { OfflineCalls } from './offline-calls.js';
import { Semaphore } from './semaphore.js';

/** An agent's client, or null for the offline heuristic. */
export type AgentClients = ReadonlyMap<string, LlmAgentClient | null>;

export class PerAgentCalls implements CallRunner {
  readonly mode: 'offline' | 'llm';
  /** The one model every LLM agent uses, or null when they differ (or none is an LLM). */
  readonly model: string | null;
  private readonly offline = new OfflineCalls();
  private readonly byAgent = new Map<string, LlmCalls>();
  private readonly llmRunners: LlmCalls[] = [];
  /** Offline calls not yet delivered: only these may be passed on to the offline runner's cancel. */
  private readonly offlinePending = new Set<string>();

  /** `concurrency` bounds calls in flight per endpoint; null means one slot per agent on it. */
  constructor(clients: AgentClients, concurrency: number | null) {
    const perEndpoint = new Map<string, number>();
    for (const client of clients.values())
      if (client) perEndpoint.set(client.baseUrl, (perEndpoint.get(client.baseUrl) ?? 0) + 1);
    const semaphores = new Map<string, Semaphore>();
    for (const [url, agents] of perEndpoint)
      semaphores.set(url, new Semaphore(Math.max(1, concurrency ?? agents)));
    for (const [agent, client] of clients) {
      if (!client) continue;
      const runner = new LlmCalls(client, semaphores.get(client.baseUrl) as Semaphore);
      this.byAgent.set(agent, runner);
      this.llmRunners.push(runner);
    }
    const models = new Set([...this.byAgent.values()].map((r) => r.model));
    this.mode = models.size > 0 ? 'llm' : 'offline';
    this.model = models.size === 1 ? ([...models][0] as string) : null;
  }

  describe(agent: string): AgentLabel {
    return this.byAgent.get(agent)?.describe() ?? OFFLINE_LABEL;
  }

  start(ask: AskEffect, host: CallHost): void {
    const llm = this.byAgent.get(ask.agent);
    if (llm) return llm.start(ask, host);
    this.offlinePending.add(ask.callId);
    this.offline.start(ask, {
      ...host,
      deliver: (callId, answer) => {
        this.offlinePending.delete(callId);
        host.deliver(callId, answer);
      },
    });
  }

  cancel(callIds: readonly string[]): void {
    // The offline runner remembers every id it is told to cancel until that call's turn comes:
    // ids of calls it never started would stay there for good.
    this.offline.cancel(callIds.filter((id) => this.offlinePending.delete(id)));
    for (const r of this.llmRunners) r.cancel(callIds);
  }

  cancelAll(): void {
    this.offline.cancelAll();
    for (const r of this.llmRunners) r.cancelAll();
  }

  inFlight(): number {
    let n = 0;
    for (const r of this.llmRunners) n += r.inFlight();
    return n;
  }
}
