import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENTS, DEFAULT_JOBS, DEFAULT_NODES } from '../../src/core/catalogue.js';
import type {
  AgentRequest,
  AgentSpec,
  CandidateView,
  JobSpec,
  ProposeRequest,
  VoteRequest,
} from '../../src/core/types.js';
import { Memo, requestKey } from '../../src/runtime/memo.js';

/** Counts how often each key had to be made. */
function counted() {
  const made = new Map<string, number>();
  const memo = new Memo<string>();
  const get = (key: string) =>
    memo.get(key, () => {
      made.set(key, (made.get(key) ?? 0) + 1);
      return `value of ${key}`;
    });
  return { made, get };
}

describe('Memo', () => {
  it('keeps a key that is still asked for while thousands of one-off keys pass through', () => {
    // At 100 agents every height asks new votes (the proposer rotates) besides the same
    // proposals: the proposals must not be built again each time the table fills.
    const { made, get } = counted();
    for (let i = 0; i < 50_000; i++) {
      if (i % 100 === 0) expect(get('hot')).toBe('value of hot');
      get(`once ${i}`);
    }
    expect(made.get('hot')).toBe(1);
  });

  it('stays bounded: a key not asked for since is made again', () => {
    const { made, get } = counted();
    get('early');
    for (let i = 0; i < 50_000; i++) get(`once ${i}`);
    expect(get('early')).toBe('value of early');
    expect(made.get('early')).toBe(2);
  });

  it('returns what was made, the same object each time', () => {
    const memo = new Memo<{ n: number }>();
    const a = memo.get('k', () => ({ n: 1 }));
    expect(memo.get('k', () => ({ n: 2 }))).toBe(a);
  });
});

describe('requestKey', () => {
  const [alpha, beta] = DEFAULT_AGENTS as [AgentSpec, AgentSpec];
  const [job, other] = DEFAULT_JOBS as [JobSpec, JobSpec];
  const candidate: CandidateView = {
    nodeId: 'n1',
    score: 0.9,
    proposer: 'alpha',
    supporters: [{ agent: 'alpha', score: 0.9, reasoning: 'fits' }],
  };
  const propose = (over: Partial<ProposeRequest> = {}): AgentRequest => ({
    kind: 'propose',
    agent: alpha,
    job,
    nodes: [...DEFAULT_NODES],
    protocol: 'bft',
    ...over,
  });
  const vote = (over: Partial<VoteRequest> = {}): AgentRequest => ({
    kind: 'vote',
    agent: alpha,
    job,
    nodes: [...DEFAULT_NODES],
    protocol: 'bft',
    candidate,
    summaryOnly: false,
    ...over,
  });

  it('names a recurring request with the same string object', () => {
    expect(requestKey(propose())).toBe(requestKey(propose()));
    expect(requestKey(vote())).toBe(requestKey(vote()));
  });

  it('tells apart whatever a prompt or an answer depends on, asked in any order', () => {
    // Each pair shares the object the key is remembered by (the job, or the candidate) and
    // differs in one thing only: a remembered key must not be handed to the other.
    const pairs: [AgentRequest, AgentRequest][] = [
      [propose(), propose({ agent: beta })],
      [propose(), propose({ protocol: 'classic' })],
      [vote(), vote({ agent: beta })],
      [vote(), vote({ protocol: 'classic' })],
      [vote(), vote({ summaryOnly: true })],
      [vote(), vote({ job: other })],
      [propose(), vote()],
    ];
    for (const [a, b] of pairs) {
      const first = requestKey(a);
      const second = requestKey(b);
      expect(second).not.toBe(first);
      expect(requestKey(a)).toBe(first);
      expect(requestKey(b)).toBe(second);
    }
  });
});
