// The bft vote matrix from issue 7's events (the agreed interface): an equivocating proposer at
// quorum 1/2 splits the replicas, and the matrix shows who received what, the locks, the commits,
// the FORK, and the jailed agent afterwards.
import { Text } from 'ink';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TallyPane } from '../../components/TallyPane.js';
import type { HybridEvent } from '../../src/core/events.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { runStart } from './fixtures.js';
import { cleanupAll, renderApp, renderPane, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

afterEach(() => cleanupAll());

const IDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
// Beta tells Alpha, Beta and Epsilon "n1", Gamma and Delta "n3".
const split = (id: string) => (id === 'gamma' || id === 'delta' ? 'n3' : 'n1');
const all = (value: (receiver: string) => string | null) =>
  Object.fromEntries(IDS.map((id) => [id, value(id)]));

const roundStart = (t: number) => ({
  type: 'round_start',
  t,
  round: 1,
  protocol: 'bft',
  job: {
    id: 'j',
    title: 'AI Training Job',
    description: '',
    min_gpus: 4,
    min_ram_gb: 128,
    min_cpus: 16,
  },
});

/** A prevote or precommit of round 1 at t 1010; a liar's is marked equivocated and corrupted. */
const vote = (
  type: string,
  agent: string,
  received: Record<string, string | null>,
  value = 'n1',
  liar = false,
) => ({
  type,
  t: 1010,
  round: 1,
  attempt: 0,
  agent,
  value,
  received,
  equivocated: liar,
  corrupted: liar,
});

/** Round 1's decision, committed n1 at t 1040; `fields` are what differs between heights. */
const decided = (fields: Record<string, unknown>) => ({
  type: 'decision',
  t: 1040,
  round: 1,
  attempt: 0,
  protocol: 'bft',
  outcome: 'committed',
  node_id: 'n1',
  valid: true,
  unsafe: false,
  reject_weight: 0,
  absent_weight: 0,
  failed_operations: 0,
  reason: null,
  quorum_rule: 'more_than',
  regret: 0,
  ...fields,
});

function forkRound(): HybridEvent[] {
  const t = 1000;
  const events: unknown[] = [
    runStart(),
    roundStart(t),
    {
      type: 'bft_propose',
      t,
      round: 1,
      attempt: 0,
      proposer: 'beta',
      node_id: 'n1',
      valid: true,
      sent: all(split),
    },
  ];
  for (const step of ['prevote', 'precommit'])
    for (const sender of IDS) {
      const liar = sender === 'beta';
      const received = all((receiver) => (liar ? split(receiver) : split(sender)));
      events.push(vote(step, sender, received, liar ? 'n1' : split(sender), liar));
    }
  for (const id of IDS) {
    events.push({ type: 'lock', t: t + 20, round: 1, attempt: 0, agent: id, node_id: split(id) });
    events.push({ type: 'commit', t: t + 30, round: 1, attempt: 0, agent: id, node_id: split(id) });
  }
  events.push(
    decided({
      accept_weight: 3.4,
      total_weight: 5.5,
      quorum: 2.75,
      commits: all(split),
      fork: true,
      quorum_fraction: 0.5,
    }),
  );
  return events as HybridEvent[];
}

/**
 * Height 1 at t 1000 after the events `before`: `senders` prevote and precommit n1, each receiver
 * getting what `received` says, they commit n1, and the decision carries `fields`.
 */
function height(
  before: unknown[],
  senders: readonly string[],
  received: Record<string, string>,
  fields: Record<string, unknown>,
): unknown[] {
  const t = 1000;
  const events: unknown[] = [runStart(), ...before, roundStart(t)];
  for (const step of ['prevote', 'precommit'])
    for (const sender of senders) events.push(vote(step, sender, received));
  for (const id of senders)
    events.push({ type: 'commit', t: t + 30, round: 1, attempt: 0, agent: id, node_id: 'n1' });
  events.push(decided({ fork: false, quorum_fraction: 2 / 3, ...fields }));
  return events;
}

/** A healthy height with Beta jailed before it and released after it: four validators. */
function heightWithoutBeta(): HybridEvent[] {
  const validators = IDS.filter((id) => id !== 'beta');
  const events = height(
    [{ type: 'jail', t: 500, round: 0, agent: 'beta', evidence: 'equivocation', until_height: 2 }],
    validators,
    Object.fromEntries(validators.map((id) => [id, 'n1'])),
    {
      accept_weight: 4.3,
      total_weight: 4.3,
      quorum: 2.87,
      commits: { ...all(() => null), ...Object.fromEntries(validators.map((id) => [id, 'n1'])) },
    },
  );
  events.push(
    { type: 'release', t: 2000, agent: 'beta', by: 'timer' },
    { ...roundStart(3000), round: 2 },
  );
  return events as HybridEvent[];
}

/**
 * One height of `agents` (weight 1 each) in which everyone prevotes and precommits n1, each
 * receiver getting what `got(sender, receiver)` says, and everyone locks and commits n1.
 */
function manyReplicas(
  agents: { id: string; name: string }[],
  got: (from: string, to: string) => string,
): HybridEvent[] {
  const roster = agents.map((a) => ({
    ...a,
    specialty: 'gpu',
    weight: 1,
    model: null,
    endpoint: null,
  }));
  const ids = agents.map((a) => a.id);
  const start = { ...(runStart() as object), agents: roster, total_weight: agents.length };
  const events: unknown[] = [start, { ...(forkRound()[1] as object) }];
  for (const type of ['prevote', 'precommit'])
    for (const agent of ids)
      events.push(vote(type, agent, Object.fromEntries(ids.map((to) => [to, got(agent, to)]))));
  for (const agent of ids) {
    events.push({ type: 'lock', t: 1020, round: 1, attempt: 0, agent, node_id: 'n1' });
    events.push({ type: 'commit', t: 1030, round: 1, attempt: 0, agent, node_id: 'n1' });
  }
  return events as HybridEvent[];
}

/** The tally pane's lines at `width`, tall enough for twenty replicas. */
function tallyLines(width: number, events: readonly HybridEvent[]): string[] {
  return renderPane(<TallyPane width={width} height={26} />, storeWith(events))
    .frame()
    .split('\n');
}

describe('the bft vote matrix', () => {
  test('shows what each replica received from each sender, locks, commits, the equivocator and the FORK', () => {
    const frame = renderPane(<TallyPane width={100} height={10} />, storeWith(forkRound())).frame();
    const row = (name: string) =>
      frame.split('\n').find((line) => line.startsWith(`● ${name} `)) ?? '';
    expect(frame).toContain('got from');
    expect(frame).toMatch(/Alpha\s+Beta\s+Gamma\s+Delta\s+Epsilon\s+lock\s+commit/);
    expect(frame).toContain('FORK: replicas committed n1 and n3');
    expect(frame).toContain('equivocated: Beta-Memory');
    // Down Beta's column the entries differ: n1 to Alpha, n3 to Gamma.
    expect(row('Alpha')).toMatch(/^● Alpha\s+n1\s+n1\s+n3\s+n3\s+n1\s+n1\s+n1$/);
    expect(row('Gamma')).toMatch(/^● Gamma\s+n1\s+n3\s+n3\s+n3\s+n1\s+n3\s+n3$/);
    expect(frame).toContain('≠ FORK honest replicas committed different nodes');
  });

  test.each([100, 61, 60])(
    'at %i columns every heading starts where its column does, and nothing is cut',
    (width) => {
      const frame = renderPane(<TallyPane width={width} height={10} />, storeWith(forkRound()))
        .frame()
        .split('\n');
      const header = frame.find((line) => line.startsWith(' got from')) ?? '';
      const row = frame.find((line) => line.startsWith('● Gamma')) ?? '';
      // Where each word starts: the headings against the row's entries, after the row name.
      const starts = (line: string) =>
        [...line.matchAll(/\S+/g)].map((m) => m.index).filter((i) => i >= 10);
      expect(starts(header)).toHaveLength(7);
      expect(starts(row)).toEqual(starts(header));
      expect(header).not.toContain('…');
      expect(header.trimEnd().length).toBeLessThanOrEqual(width);
      // Full sender names where they fit; cut to the column where they do not.
      expect(header).toContain(width >= 61 ? 'Epsilon' : 'Epsil ');
    },
  );

  test('with twelve replicas the columns narrow so that lock and commit stay on screen', () => {
    const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
    const agents = [...names, ...names.map((n) => `${n}2`)].map((name) => ({
      id: name.toLowerCase(),
      name: `${name}-Agent`,
    }));
    const frame = tallyLines(
      61,
      manyReplicas(agents, () => 'n1'),
    );
    const header = frame.find((line) => line.startsWith(' got from')) ?? '';
    expect(header.trimEnd()).toMatch(/ lock commit$/);
    const rows = frame.filter((line) => /^● \S/.test(line));
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      expect(row).not.toContain('…');
      // Twelve entries, then the lock and the commit.
      expect(row.trimEnd().split(/\s+/).slice(2)).toEqual(Array.from({ length: 14 }, () => 'n1'));
    }
  });

  test('with more senders than columns each replica counts what it received, lock and commit kept', () => {
    const agents = Array.from({ length: 20 }, (_, i) => ({ id: `a${i}`, name: `Agent${i}-X` }));
    // a0 lost the two votes of a18 and a19 (both steps).
    const events = manyReplicas(agents, (from, to) =>
      to === 'a0' && (from === 'a18' || from === 'a19') ? 'lost' : 'n1',
    );
    const frame = tallyLines(61, events);
    expect(frame.find((l) => l.startsWith(' replica'))?.trimEnd()).toMatch(
      /^ replica\s+received from the senders\s+lock commit$/,
    );
    const row = (name: string) => frame.find((l) => l.startsWith(`● ${name} `))?.trimEnd() ?? '';
    expect(row('Agent0')).toMatch(/^● Agent0\s+n1 18, lost 2\s+n1\s+n1$/);
    expect(row('Agent7')).toMatch(/^● Agent7\s+n1 20\s+n1\s+n1$/);
    expect(frame.join('\n')).not.toContain('…');
  });

  test('a FORK shows in the timeline, is logged, and the why names the rule', async () => {
    const app = await renderApp(storeWith(forkRound()), new FakeRuntime(), {
      columns: 140,
      rows: 40,
    });
    const frame = app.frame();
    expect(frame).toContain('Rounds 1≠n1');
    expect(frame).toContain('FORK: honest replicas committed different nodes');
    expect(frame).toContain('Vote tally r1  FORK: replicas committed n1 and n3');
    await app.press('w');
    const why = app.frame().replace(/\s+/g, ' ');
    expect(why).toContain('Candidate: n1 proposed by Beta-Memory.');
    expect(why).toContain(
      "bft commits when a node's precommits are strictly more than 1/2 x 5.5 = 2.75",
    );
    // The fork in one line: each side's precommits by name, the equivocator's other value beside it.
    expect(why).toContain(
      'Precommits in bft round 1: n1 3.4 (Alpha-GPU 1.3, Beta-Memory 1.2 (n3 to others), Epsilon-Network 0.9); n3 2.1 (Gamma-Compute 1.1, Delta-Storage 1.0); not sent 0.',
    );
    expect(why).toContain('Regret: 0: the best node was chosen.');
    expect(why).toContain('What the protocol did: FORK');
  });

  test('a past height shows an agent that sat it out jailed, as it stood then, not as it is now', async () => {
    const app = await renderApp(storeWith(heightWithoutBeta()), new FakeRuntime(), {
      columns: 140,
      rows: 40,
    });
    // Released since: the live agents pane shows Beta healthy.
    expect(app.frame()).toMatch(/● Beta-Memory/);
    await app.press('[');
    const frame = app.frame();
    expect(frame).toContain('viewing round 1 as it was');
    const row = (name: string) =>
      (frame.split('\n').find((line) => new RegExp(`^. ${name} `).test(line)) ?? '')
        .split('│')[0]
        ?.trimEnd();
    // Not an empty row under today's glyph: the jailed glyph of then, and why the row is empty.
    expect(row('Beta')).toMatch(/^⊘ Beta\s+jailed: not a validator this height$/);
    expect(row('Alpha')).toMatch(/^● Alpha\s+n1\s+n1\s+n1\s+n1\s+-\s+n1$/);
  });

  test('the live height, once decided, keeps each row as it stood at the decision', () => {
    // Delta crashed through the height (it lost every vote), then recovers while the run waits.
    const crash = {
      type: 'fault',
      t: 0,
      agent: 'delta',
      kind: 'crash',
      duration_ms: 5000,
      recover_at: 5000,
      by: 'scenario',
    };
    const events = height(
      [crash],
      IDS.filter((id) => id !== 'delta'),
      { ...all(() => 'n1'), delta: 'lost' },
      {
        accept_weight: 4.5,
        absent_weight: 1,
        total_weight: 5.5,
        quorum: 3.67,
        commits: { ...all(() => 'n1'), delta: null },
      },
    );
    events.push({ type: 'recovered', t: 5000, agent: 'delta', kind: 'crash', by: 'timer' });
    const lines = tallyLines(100, events as HybridEvent[]);
    // It read "● Delta  lost lost ..." once recovered: healthy beside the votes it lost.
    expect(lines.find((line) => /^. Delta /.test(line))).toMatch(/^✖ Delta\s+lost\s+lost/);
    expect(lines.find((line) => /^. Alpha /.test(line))).toMatch(/^● Alpha\s+n1/);
  });

  test('a jailed agent shows jailed, and is released', () => {
    const fork = forkRound();
    // As the engine ends a height: the evidence's jail, then the decision.
    const store = storeWith([
      ...fork.slice(0, -1),
      {
        type: 'jail',
        t: 1040,
        round: 1,
        agent: 'beta',
        evidence: 'equivocation',
        until_height: 3,
      } as unknown as HybridEvent,
      ...fork.slice(-1),
    ]);
    expect(store.getState().agents[1]?.quarantined).toBe(true);
    const log = store
      .getState()
      .log.map((e) => (e.kind === 'line' ? e.text : ''))
      .join('\n');
    expect(log).toContain('Beta-Memory jailed until height 3 (equivocation)');
    expect(renderPane(<TallyPane width={100} height={10} />, store).frame()).toMatch(/⊘ Beta/);
    store
      .getState()
      .actions.applyEvents([
        { type: 'release', t: 3000, agent: 'beta', by: 'timer' } as unknown as HybridEvent,
      ]);
    expect(store.getState().agents[1]?.quarantined).toBe(false);
  });
});
