// A bft height's rounds are counted from 1 wherever a user reads them: the header's #2, the why
// pane's "bft round 1", the reasons the core writes, the dashboard's log and the narrative. The
// core counts them from 0 (the `attempt` field), and its reasons once said "round 0".
import { describe, expect, test } from 'vitest';
import { whyParagraphs } from '../../components/why.js';
import { NarrativePrinter } from '../../src/cli/narrative.js';
import type { HybridEvent } from '../../src/core/events.js';
import { builtinRun } from '../core/helpers.js';
import { storeWith } from './render.js';

type Decision = Extract<HybridEvent, { type: 'decision' }>;
type Retry = Extract<HybridEvent, { type: 'retry' }>;

describe('bft rounds are numbered from 1 for the user', () => {
  test('a failed bft round: its reason, the log and the narrative agree on the numbers', async () => {
    // Seed 3's attack: Beta equivocates as height 2's first proposer, and round 1 ends without a
    // quorum of precommits.
    const events = await builtinRun('attack', 'bft', 3, 2);
    const retry = events.find((e): e is Retry => e.type === 'retry');
    expect(retry).toBeDefined();
    const shown = retry!.attempt + 1;
    expect(retry!.reason).toBe(`bft round ${shown} ended without 2f+1 precommits for one node`);

    const log = storeWith(events)
      .getState()
      .log.map((entry) => ('text' in entry ? entry.text : ''));
    expect(log).toContain(
      `round ${retry!.round}: ${retry!.node_id} not accepted, on to bft round ${shown + 1} (${retry!.reason})`,
    );

    const lines: string[] = [];
    const printer = new NarrativePrinter((line) => lines.push(line));
    for (const e of events) printer.on(e);
    const text = lines.join('\n');
    expect(text).toContain(`↻ NOT ACCEPTED — a new bft round, the next proposer: ${retry!.reason}`);
    expect(text).toContain(`PHASE 3: CONSENSUS VOTING (bft round ${shown + 1})`);
    expect(text).not.toMatch(/\(candidate \d\)/);
  });

  test('a stalled height: its reason names the round the why pane shows', async () => {
    // Seed 2's chaos stalls heights 6 and 15 in their first round.
    const events = await builtinRun('chaos', 'bft', 2, 16);
    const stalled = events.find(
      (e): e is Decision => e.type === 'decision' && e.outcome === 'no_decision',
    );
    expect(stalled).toBeDefined();
    const shown = stalled!.attempt + 1;
    expect(stalled!.reason).toMatch(
      new RegExp(`^no replica committed: stalled in bft round ${shown}, waiting for votes`),
    );
    const state = storeWith(events).getState();
    const record = state.history.find((r) => r.round === stalled!.round)!;
    expect(whyParagraphs(record.snapshot, state.agents).join('\n')).toContain(
      `Precommits in bft round ${shown}:`,
    );
    expect(whyParagraphs(record.snapshot, state.agents).join('\n')).toContain(
      `What the protocol did: no decision after ${shown} bft round${shown === 1 ? '' : 's'},`,
    );
  });
});
