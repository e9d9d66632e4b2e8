import { describe, expect, it } from 'vitest';
import { corruptProposal, corruptVote } from '../../src/core/byzantine.js';
import { DEFAULT_JOBS, DEFAULT_NODES, FAKE_NODE_ID } from '../../src/core/catalogue.js';
import { seedPrng } from '../../src/core/prng.js';
import type { JobSpec } from '../../src/core/types.js';
import { checkValidity } from '../../src/core/validity.js';
import { collect, config, ofType, scenario } from './helpers.js';

const aiTraining = DEFAULT_JOBS.find((j) => j.id === 'ai-training') as JobSpec;

describe('byzantine payloads (the original three proposals and three votes)', () => {
  it('at rate 1 every proposal is replaced, and all three payloads occur', () => {
    const rng = seedPrng(7);
    const seen = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const p = corruptProposal(rng, 1, aiTraining, DEFAULT_NODES);
      expect(p).not.toBeNull();
      if (!p) continue;
      const key = p.kind === 'malformed' ? p.raw : `${p.nodeId}@${p.score}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    // n999 with 1.0; a wrong-type node with 0.95 (n6, the storage node, as in the original);
    // and the malformed `{"corrupted": true}`.
    expect([...seen.keys()].sort()).toEqual(['n6@0.95', 'n999@1', '{"corrupted": true}'].sort());
    for (const n of seen.values()) expect(n).toBeGreaterThan(120); // roughly a third each
  });

  it('the fake and the wrong-type payloads both fail the validity predicate', () => {
    const rng = seedPrng(3);
    for (const job of DEFAULT_JOBS) {
      if (job.id === 'log-archive') continue; // every node fits it: see the next test
      for (let i = 0; i < 30; i++) {
        const p = corruptProposal(rng, 1, job, DEFAULT_NODES);
        if (p?.kind === 'proposal')
          expect(checkValidity(job, p.nodeId, DEFAULT_NODES).valid).toBe(false);
      }
    }
  });

  it('when every node fits the job the wrong-type payload falls back to the last node', () => {
    const logArchive = DEFAULT_JOBS.find((j) => j.id === 'log-archive') as JobSpec;
    const rng = seedPrng(11);
    const ids = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const p = corruptProposal(rng, 1, logArchive, DEFAULT_NODES);
      if (p?.kind === 'proposal') ids.add(p.nodeId);
    }
    expect([...ids].sort()).toEqual([FAKE_NODE_ID, 'n6'].sort());
  });

  it('at rate 1 every vote is replaced by one of the three vote payloads', () => {
    const rng = seedPrng(5);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const v = corruptVote(rng, 1);
      expect(v).not.toBeNull();
      if (v) seen.add(`${v.vote}@${v.confidence}`);
    }
    expect([...seen].sort()).toEqual(['accept@0.99', 'reject@0.05', 'reject@0.95']);
  });

  it('at rate 0 nothing is ever replaced', () => {
    const rng = seedPrng(9);
    for (let i = 0; i < 500; i++) {
      expect(corruptProposal(rng, 0, aiTraining, DEFAULT_NODES)).toBeNull();
      expect(corruptVote(rng, 0)).toBeNull();
    }
  });

  it('the corruption rate is honoured statistically (0.7 by default)', () => {
    const rng = seedPrng(13);
    let hits = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) if (corruptVote(rng, 0.7)) hits++;
    expect(hits / n).toBeGreaterThan(0.66);
    expect(hits / n).toBeLessThan(0.74);
  });
});

describe('byzantine agents in a run', () => {
  const run = (byzantineRate: number, protocol: 'classic' | 'bft') =>
    collect(
      config({
        protocol,
        byzantineRate,
        // The original's payloads under both protocols (bft's default is equivocation).
        adversary: 'original',
        scenario: scenario('byz', [
          { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 600_000 },
          { type: 'rounds', count: 4, job: 'ai-training' },
        ]),
      }),
    );

  it('at rate 1 every answer of the byzantine agent is corrupted, and nobody else is', () => {
    for (const protocol of ['classic', 'bft'] as const) {
      const events = run(1, protocol);
      const answers = [...ofType(events, 'proposal'), ...ofType(events, 'vote')].filter(
        (e) => e.status !== 'absent' && e.status !== 'ignored',
      );
      const beta = answers.filter((e) => e.agent === 'beta');
      expect(beta.length).toBeGreaterThan(0);
      // Under bft beta ends up jailed: it is no longer asked.
      for (const e of beta) expect(e.corrupted, JSON.stringify(e)).toBe(true);
      for (const e of answers.filter((x) => x.agent !== 'beta')) expect(e.corrupted).toBe(false);
    }
  });

  it('at rate 0 a byzantine agent answers honestly and every round commits a valid node', () => {
    for (const protocol of ['classic', 'bft'] as const) {
      const events = run(0, protocol);
      for (const e of [...ofType(events, 'proposal'), ...ofType(events, 'vote')])
        expect(e.corrupted).toBe(false);
      const decisions = ofType(events, 'decision');
      expect(decisions).toHaveLength(4);
      for (const d of decisions) expect(d).toMatchObject({ outcome: 'committed', valid: true });
      expect(ofType(events, 'evidence')).toEqual([]);
    }
  });

  it('byzantine vote payloads are never overridden: a corrupted accept counts as accept', () => {
    const events = run(1, 'classic');
    const betaVotes = ofType(events, 'vote').filter((v) => v.agent === 'beta');
    for (const v of betaVotes) {
      expect(v.status).toBe('counted');
      expect(v.reasoning).toMatch(/^Byzantine attack/);
    }
  });
});
