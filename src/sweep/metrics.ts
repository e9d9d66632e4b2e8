// A run's figures, computed from its event log alone (the JSON Lines contract), one event at a
// time so a long run is never held in memory. The decision fields the replicated bft engine added
// (`fork`, `best_node_id`, `regret`, `faulty_weight`) are optional in the contract (a recording
// made before them lacks them), so they are read defensively: absent, they give null figures (or
// 0 where nothing can happen: no fork without the field, no jail without jail events).
import type { HybridEvent, SummaryEvent } from '../core/events.js';

/** Metric names, in column order. Every one is a number per run, or null when undefined there. */
export const METRICS = [
  'invalid_commit_rate',
  'fork_rate',
  'liveness',
  'liveness_below_third',
  'liveness_above_third',
  'faulty_share',
  'best_node_rate',
  'mean_regret',
  'time_to_decision_ms',
  'rounds_to_recover',
  'detection_precision',
  'detection_recall',
  'time_to_detection_ms',
  'jailed_ms',
  'llm_calls',
  'llm_fallbacks',
  'llm_latency_p50_ms',
] as const;
export type MetricName = (typeof METRICS)[number];
export type RunMetrics = { rounds: number } & Record<MetricName, number | null>;

type Loose = Record<string, unknown>;
const num = (e: Loose, k: string): number | null =>
  typeof e[k] === 'number' && Number.isFinite(e[k]) ? e[k] : null;
const str = (e: Loose, k: string): string | null => (typeof e[k] === 'string' ? e[k] : null);
const mean = (xs: number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

const THIRD = 1 / 3;

export class MetricsCollector {
  private weights = new Map<string, number>();
  private totalWeight = 0;
  private faulty = new Map<string, string>();
  private roundStart = new Map<number, number>();
  private decisions = 0;
  private committed = 0;
  private invalid = 0;
  private forks = 0;
  private best = 0;
  private bestKnown = 0;
  private regrets: number[] = [];
  private commitTimes: number[] = [];
  private shares: number[] = [];
  private band = { below: { n: 0, ok: 0 }, above: { n: 0, ok: 0 } };
  /** Recoveries still waiting for their first valid commit, with the rounds counted so far. */
  private recovering: number[] = [];
  private recoveredIn: number[] = [];
  /** Byzantine agent -> when it turned byzantine, until the first evidence against it. */
  private undetected = new Map<string, number>();
  private detectionTimes: number[] = [];
  private jailedSince = new Map<string, number>();
  private jailedMs = 0;
  private summary: SummaryEvent | null = null;

  on(e: HybridEvent): void {
    const l = e as unknown as Loose;
    switch (e.type) {
      case 'run_start':
        for (const a of e.agents) this.weights.set(a.id, a.weight);
        this.totalWeight = e.total_weight;
        break;
      case 'round_start':
        this.roundStart.set(e.round, e.t);
        break;
      case 'fault':
        this.faulty.set(e.agent, e.kind);
        if (e.kind === 'byzantine' && !this.undetected.has(e.agent))
          this.undetected.set(e.agent, e.t);
        break;
      case 'recovered':
        this.faulty.delete(e.agent);
        this.recovering.push(0);
        break;
      case 'evidence': {
        const since = this.undetected.get(e.agent);
        if (since !== undefined) {
          this.detectionTimes.push(e.t - since);
          this.undetected.delete(e.agent);
        }
        break;
      }
      case 'decision':
        this.onDecision(e, l);
        break;
      case 'summary':
        this.summary = e;
        this.closeJails(e.t);
        break;
      case 'jail':
        if (!this.jailedSince.has(e.agent)) this.jailedSince.set(e.agent, e.t);
        break;
      case 'release': {
        const since = this.jailedSince.get(e.agent);
        if (since !== undefined) this.jailedMs += e.t - since;
        this.jailedSince.delete(e.agent);
        break;
      }
      default:
        break;
    }
  }

  private closeJails(t: number): void {
    for (const since of this.jailedSince.values()) this.jailedMs += t - since;
    this.jailedSince.clear();
  }

  private onDecision(e: Extract<HybridEvent, { type: 'decision' }>, l: Loose): void {
    this.decisions += 1;
    const ok = e.outcome === 'committed';
    const validCommit = ok && e.valid === true;
    if (ok) {
      this.committed += 1;
      const start = this.roundStart.get(e.round);
      if (start !== undefined) this.commitTimes.push(e.t - start);
      if (e.valid === false) this.invalid += 1;
      const bestId = str(l, 'best_node_id');
      if (bestId !== null) {
        this.bestKnown += 1;
        if (bestId === e.node_id) this.best += 1;
      }
      const regret = num(l, 'regret');
      if (regret !== null) this.regrets.push(regret);
    }
    if (l['fork'] === true) this.forks += 1;
    const share = this.faultyShare(l);
    this.shares.push(share);
    const band = share < THIRD ? this.band.below : this.band.above;
    band.n += 1;
    if (ok) band.ok += 1;
    this.recovering = this.recovering.map((n) => n + 1);
    if (validCommit) {
      this.recoveredIn.push(...this.recovering);
      this.recovering = [];
    }
  }

  /** The engine's own faulty weight when it reports one, else what the fault events say. */
  private faultyShare(l: Loose): number {
    const reported = num(l, 'faulty_weight');
    const total = num(l, 'total_weight') ?? this.totalWeight;
    if (total <= 0) return 0;
    if (reported !== null) return reported / total;
    let w = 0;
    for (const agent of this.faulty.keys()) w += this.weights.get(agent) ?? 0;
    return w / total;
  }

  result(): RunMetrics {
    const s = this.summary;
    const llmCalls = s ? s.calls.llm : null;
    return {
      rounds: this.decisions,
      invalid_commit_rate: rate(this.invalid, this.decisions),
      fork_rate: rate(this.forks, this.decisions),
      liveness: rate(this.committed, this.decisions),
      liveness_below_third: rate(this.band.below.ok, this.band.below.n),
      liveness_above_third: rate(this.band.above.ok, this.band.above.n),
      faulty_share: mean(this.shares),
      best_node_rate: rate(this.best, this.bestKnown),
      mean_regret: mean(this.regrets),
      time_to_decision_ms: mean(this.commitTimes),
      rounds_to_recover: mean(this.recoveredIn),
      detection_precision: s?.detection.precision ?? null,
      detection_recall: s?.detection.recall ?? null,
      time_to_detection_ms: mean(this.detectionTimes),
      jailed_ms: this.jailedMs,
      llm_calls: llmCalls,
      llm_fallbacks: s ? s.calls.fallback : null,
      llm_latency_p50_ms: s && s.calls.llm + s.calls.fallback > 0 ? s.latency_ms.p50 : null,
    };
  }
}

/** The figures of a whole event log (tests, and recordings read back). */
export function metricsOf(events: Iterable<HybridEvent>): RunMetrics {
  const c = new MetricsCollector();
  for (const e of events) c.on(e);
  return c.result();
}
