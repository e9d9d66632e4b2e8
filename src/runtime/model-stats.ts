// The summary's figures per model: calls by source, latency quantiles and how often each model's
// votes matched the weighted majority of the votes cast on the same candidate. Fed the event
// stream, in bounded memory: votes are held only until their round's decision (or retry) is out.
import type { HybridEvent, ModelSummary, VoteEvent } from '../core/events.js';
import { dropKey } from '../core/churn.js';
import { CallStats } from './latency.js';

/** The key of the offline heuristic in `by_model`. */
export const OFFLINE_KEY = 'offline';

interface ModelEntry {
  endpoints: Set<string>;
  agents: string[];
  stats: CallStats;
  votes: number;
  agreed: number;
}

type CountedVote = Pick<VoteEvent, 'agent' | 'vote' | 'weight'>;

export class ModelStats {
  private readonly entries = new Map<string, ModelEntry>();
  private readonly modelOfAgent = new Map<string, string>();
  /** Counted votes by `round:attempt`, until the tally that closes them. */
  private openVotes = new Map<string, CountedVote[]>();

  observe(e: HybridEvent): void {
    switch (e.type) {
      case 'run_start':
        for (const a of e.agents) {
          const key = a.model === undefined ? (e.model ?? OFFLINE_KEY) : (a.model ?? OFFLINE_KEY);
          this.modelOfAgent.set(a.id, key);
          const entry = this.entry(key);
          entry.agents.push(a.id);
          if (a.endpoint) entry.endpoints.add(a.endpoint);
        }
        return;
      case 'llm_response': {
        const key =
          e.source === 'offline'
            ? OFFLINE_KEY
            : (e.model ?? this.modelOfAgent.get(e.agent) ?? OFFLINE_KEY);
        const entry = this.entry(key);
        if (e.endpoint) entry.endpoints.add(e.endpoint);
        entry.stats.record(e.source, e.latency_ms);
        return;
      }
      case 'vote': {
        if (e.status !== 'counted' || e.vote === null) return;
        const id = `${e.round}:${e.attempt}`;
        const list = this.openVotes.get(id);
        const vote = { agent: e.agent, vote: e.vote, weight: e.weight };
        if (list) list.push(vote);
        else this.openVotes.set(id, [vote]);
        return;
      }
      case 'decision':
      case 'retry':
        this.close(`${e.round}:${e.attempt}`);
        return;
      default:
        return;
    }
  }

  summary(): Record<string, ModelSummary> {
    for (const id of [...this.openVotes.keys()]) this.close(id);
    const out: Record<string, ModelSummary> = {};
    for (const [key, e] of this.entries) {
      out[key] = {
        endpoints: [...e.endpoints],
        agents: [...e.agents],
        calls: { ...e.stats.calls },
        latency_ms: { p50: e.stats.quantile(0.5), p95: e.stats.quantile(0.95) },
        votes: e.votes,
        agreement: e.votes > 0 ? Math.round((e.agreed / e.votes) * 1000) / 1000 : null,
      };
    }
    return out;
  }

  /** Scores the votes on one candidate against their weighted majority (a tie has none). */
  private close(id: string): void {
    const votes = this.openVotes.get(id);
    if (!votes) return;
    this.openVotes = dropKey(this.openVotes, id);
    let accept = 0;
    let reject = 0;
    for (const v of votes) {
      if (v.vote === 'accept') accept += v.weight;
      else reject += v.weight;
    }
    if (accept === reject) return;
    const majority = accept > reject ? 'accept' : 'reject';
    for (const v of votes) {
      const entry = this.entry(this.modelOfAgent.get(v.agent) ?? OFFLINE_KEY);
      entry.votes += 1;
      if (v.vote === majority) entry.agreed += 1;
    }
  }

  private entry(key: string): ModelEntry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { endpoints: new Set(), agents: [], stats: new CallStats(), votes: 0, agreed: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }
}
