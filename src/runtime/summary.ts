// The closing summary: measured figures only (nothing here is a fixed string posing as a result,
// as the original's "2 detected and mitigated" was).
import type { ModelSummary, SummaryEvent } from '../core/events.js';
import type { Stats } from '../core/state.js';
import type { CallStats } from './latency.js';

const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;

export function buildSummary(
  t: number,
  st: Readonly<Stats>,
  calls: CallStats,
  byModel?: Record<string, ModelSummary>,
  unanswered: NonNullable<SummaryEvent['unanswered']> = { cancelled: 0, cut_off: 0 },
): SummaryEvent {
  return {
    type: 'summary',
    t,
    rounds: st.rounds,
    committed: st.committed,
    invalid_commits: st.invalidCommits,
    no_decision: st.noDecision,
    calls: { ...calls.calls },
    unanswered,
    latency_ms: { p50: calls.quantile(0.5), p95: calls.quantile(0.95) },
    ...(byModel ? { by_model: byModel } : {}),
    detection: {
      precision: st.flagged > 0 ? ratio(st.truePositives, st.flagged) : null,
      recall: st.corrupted > 0 ? ratio(st.truePositives, st.corrupted) : null,
      true_positives: st.truePositives,
      flagged: st.flagged,
      corrupted: st.corrupted,
    },
    forks: st.forks,
    mean_regret: st.regretCount > 0 ? ratio(st.regretSum, st.regretCount) : null,
    best_node_rate: st.committed > 0 ? ratio(st.bestCommits, st.committed) : null,
    liveness: st.rounds > 0 ? ratio(st.committed, st.rounds) : null,
    jailed: st.jailed,
  };
}
