// The why pane under bft, on a real run's events: the accept weight it quotes is the precommits',
// and it is named by the agents that precommitted, not by the models' accept votes.
import { describe, expect, test } from 'vitest';
import { whyParagraphs } from '../../components/why.js';
import type { HybridEvent } from '../../src/core/events.js';
import { builtinRun } from '../core/helpers.js';
import { storeWith } from './render.js';

async function why(seed: number, scenario: 'chaos' | 'healthy', rounds: number) {
  const events = await builtinRun(scenario, 'bft', seed, rounds);
  const state = storeWith(events).getState();
  return (round: number) => {
    const record = state.history.find((r) => r.round === round)!;
    return { text: whyParagraphs(record.snapshot, state.agents).join('\n'), events, state };
  };
}

describe('why, bft', () => {
  test('a height no replica committed: precommits by sender, judgements apart', async () => {
    // Seed 2's chaos stalls heights 6 and 15 in their first round.
    const at = await why(2, 'chaos', 16);
    const { events } = at(1);
    const stalled = events.find(
      (e): e is Extract<HybridEvent, { type: 'decision' }> =>
        e.type === 'decision' && e.outcome === 'no_decision',
    );
    expect(stalled).toBeDefined();
    const { text } = at(stalled!.round);
    expect(text).not.toMatch(/^Votes: accept/m);
    expect(text).toMatch(
      /^Model judgements \(each replica prevotes a valid candidate its model accepts\): /m,
    );
    expect(text).toMatch(
      new RegExp(
        `^Precommits in bft round ${stalled!.attempt + 1}: .*not sent ${stalled!.absent_weight}\\.$`,
        'm',
      ),
    );
    const total = stalled!.total_weight;
    expect(text).toContain(
      `precommits for the most-backed node ${stalled!.accept_weight} of ${total}: ${stalled!.accept_weight} > ${stalled!.quorum} is false`,
    );
  });

  test('no model judged an invalid candidate: the line says why, not just "none"', async () => {
    const { state } = (await why(2, 'healthy', 3))(2);
    const record = state.history.find((r) => r.round === 2)!.snapshot;
    const judgements = (snapshot: typeof record) =>
      whyParagraphs(snapshot, state.agents).find((line) => line.startsWith('Model judgements'));
    const candidate = record.candidate!;
    expect(judgements({ ...record, votes: [], candidate: { ...candidate, valid: false } })).toBe(
      'Model judgements (each replica prevotes a valid candidate its model accepts): none asked, since the candidate fails V.',
    );
    expect(judgements({ ...record, votes: [], decision: null })).toMatch(/: none yet\.$/);
    expect(judgements({ ...record, votes: [] })).toMatch(/: none\.$/);
  });

  test('a height whose proposer sent nothing says who, and why, not "no valid proposal"', async () => {
    const { state } = (await why(2, 'healthy', 3))(2);
    const record = state.history.find((r) => r.round === 2)!.snapshot;
    // The store keeps the proposer each decision names.
    expect(record.decision!.proposer).toMatch(/^(alpha|beta|gamma|delta|epsilon)$/);
    const cutOff = {
      ...record,
      candidate: null,
      bft: null,
      decision: {
        ...record.decision!,
        outcome: 'no_decision' as const,
        nodeId: null,
        proposer: 'gamma',
        attempt: 0,
      },
      proposals: record.proposals.map((p) =>
        p.agent === 'gamma' ? { ...p, nodeId: null, status: 'absent' as const } : p,
      ),
      health: { ...record.health!, gamma: { status: 'partition' as const, quarantined: false } },
    };
    const text = whyParagraphs(cutOff, state.agents).join('\n');
    expect(text).toContain(
      'No proposal reached the vote: the proposer of bft round 1, Gamma-Compute, had none to send (its own proposal was absent: it was cut off from the network), so the honest replicas prevoted nil and there was nothing to commit.',
    );
    // A decision that does not name its proposer (an older recording) keeps the general line.
    const older = { ...cutOff, decision: { ...cutOff.decision, proposer: null } };
    expect(whyParagraphs(older, state.agents).join('\n')).toContain(
      'No valid proposal reached the vote, so there was nothing to commit.',
    );
  });

  test('a quorum of precommits sent that no replica received is not called reached', async () => {
    const { state } = (await why(2, 'healthy', 3))(2);
    const record = state.history.find((r) => r.round === 2)!.snapshot;
    // As when the senders were cut off or crashed before their precommits arrived: 4.5 of 5.5
    // sent, the height stalled. It read "4.5 > 3.67 is true: quorum reached" beside "no decision".
    const stalled = {
      ...record,
      decision: { ...record.decision!, outcome: 'no_decision' as const, nodeId: null },
    };
    const text = whyParagraphs(stalled, state.agents).join('\n');
    expect(text).toMatch(
      /is true of the precommits sent, but no honest replica received enough of them to commit \(lost on the way, cut off, or too late\)\.$/m,
    );
    expect(text).not.toContain('quorum reached');
    expect(whyParagraphs(record, state.agents).join('\n')).toContain('is true: quorum reached.');
  });

  test('a committed height: the precommits that carried it, by name and weight', async () => {
    const { text, events, state } = (await why(2, 'healthy', 3))(2);
    const precommits = events.filter(
      (e): e is Extract<HybridEvent, { type: 'precommit' }> =>
        e.type === 'precommit' && e.round === 2 && e.attempt === 0,
    );
    expect(precommits.length).toBeGreaterThan(3);
    const node = precommits[0]!.value!;
    const senders = state.agents.filter((a) => precommits.some((e) => e.agent === a.id));
    // Agent weights read as the agents pane shows them: Delta-Storage 1.0, not 1.
    const names = senders.map((a) => `${a.name} ${a.weight.toFixed(1)}`);
    const weight = senders.reduce((sum, a) => sum + a.weight, 0);
    expect(text).toContain(
      `Precommits in bft round 1: ${node} ${Math.round(weight * 10) / 10} (${names.join(', ')}); not sent 0.`,
    );
    expect(text).toContain(`precommits for ${node} 5.5 of 5.5: 5.5 > 3.67 is true`);
  });
});
