// How a height ended: evidence and jail, then the one `decision` event and the run's statistics.
import type { Ctx } from '../context.js';
import { enterPhase } from '../phase.js';
import { round2 } from '../protocols.js';
import type { RoundState } from '../state.js';
import { shownFraction } from '../quorum.js';
import { quality } from '../utility.js';
import { MAX_BFT_ROUNDS, precommitFigures, valueName, type BftHeight } from './height-state.js';
import { jail, jailedWeight } from './jail.js';
import { NONE } from './tally.js';

export function finishHeight(ctx: Ctx, round: RoundState, h: BftHeight): void {
  const { s } = ctx;
  for (const [p, ev] of [...h.evidence.against].sort((a, b) => a[0] - b[0])) {
    const agent = h.validators[p];
    if (!agent) continue;
    round.flagged.add(agent.spec.id);
    ctx.emit({
      type: 'evidence',
      round: round.round,
      agent: agent.spec.id,
      kind: ev.kind,
      detail: ev.detail,
    });
    jail(ctx, agent, round.round, ev.kind);
  }
  enterPhase(ctx, round, 'decide');
  // Which honest replicas committed what: weight per value, in agent order.
  const commits: Record<string, string | null> = {};
  for (const a of s.agents) commits[a.spec.id] = null;
  const honestWeight = new Map<number, number>();
  const firstRound = new Map<number, number>();
  const firstReplica = new Map<number, number>();
  h.decisions.forEach((d, p) => {
    const id = h.validators[p]?.spec.id ?? '';
    if (d.value === NONE) return;
    commits[id] = valueName(h, d.value);
    if (round.byzantine.has(id)) return;
    honestWeight.set(d.value, (honestWeight.get(d.value) ?? 0) + (h.weights[p] ?? 0));
    if (!firstReplica.has(d.value)) {
      firstReplica.set(d.value, p);
      firstRound.set(d.value, d.round);
    }
  });
  let chosen = NONE;
  for (const [v, w] of honestWeight)
    if (chosen === NONE || w > (honestWeight.get(chosen) ?? 0)) chosen = v;
  const committed = chosen !== NONE;
  const fork = honestWeight.size > 1;
  const attempt = committed ? (firstRound.get(chosen) ?? 0) : h.maxRound;
  // The weights are the precommits sent in that round: who backed the node, who did not.
  const nodeId = committed ? valueName(h, chosen) : null;
  const valid = committed ? h.valid[chosen] === true : null;
  const q = quality(round.job, ctx.cfg.nodes, nodeId);
  const faulty = round2([...h.faulty].reduce((w, a) => w + a.spec.weight, 0));
  const byzantine = round2(
    h.validators.reduce((w, a) => w + (round.byzantine.has(a.spec.id) ? a.spec.weight : 0), 0),
  );
  const rule = h.rule;
  ctx.emit({
    type: 'decision',
    round: round.round,
    attempt,
    protocol: 'bft',
    outcome: committed ? 'committed' : 'no_decision',
    unsafe: committed && valid === false,
    node_id: nodeId,
    valid,
    ...precommitFigures(ctx, h, attempt, committed ? chosen : NONE),
    reason: committed ? null : noDecisionReason(ctx, h, faulty),
    commits,
    fork,
    best_node_id: q.bestNodeId,
    regret: committed ? q.regret : null,
    proposer: h.validators[h.proposers[attempt] ?? 0]?.spec.id ?? null,
    quorum_rule: rule.rule,
    quorum_fraction: shownFraction(rule),
    faulty_weight: faulty,
    byzantine_weight: byzantine,
    jailed_weight: round2(jailedWeight(ctx)),
    rounds_used: h.maxRound + 1,
  });
  const st = s.stats;
  if (committed) {
    st.committed += 1;
    if (valid === false) st.invalidCommits += 1;
    if (q.regret !== null) {
      st.regretSum += q.regret;
      st.regretCount += 1;
      if (q.regret === 0) st.bestCommits += 1;
    }
  } else st.noDecision += 1;
  if (fork) st.forks += 1;
  round.gapTimer = ctx.schedule('gap', ctx.cfg.timing.phaseGapMs);
}

function noDecisionReason(ctx: Ctx, h: BftHeight, faulty: number): string {
  const base = h.stalled
    ? `no replica committed: stalled in bft round ${h.maxRound + 1}, waiting for votes nobody can send`
    : `no replica committed within ${MAX_BFT_ROUNDS} rounds`;
  const cut = [...h.faulty].some((a) => a.fault === 'partition');
  if (faulty * 3 >= h.total)
    return `${base}; faulty weight ${faulty} of ${round2(h.total)} is over the 1/3 the protocol tolerates`;
  if (cut) return `${base}; the network is partitioned`;
  return base;
}
