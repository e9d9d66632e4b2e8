// The story the dashboard tells, in components: why a round ended, the timeline, overlays that
// scroll at 80x24, a read-only replay, auto-pause and the end of a recording.
import { Text } from 'ink';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { helpRows } from '../../components/HelpOverlay.js';
import { entryRows } from '../../components/logLines.js';
import { corruptionText } from '../../components/tallyRows.js';
import { whyParagraphs } from '../../components/why.js';
import type { HybridEvent } from '../../src/core/events.js';
import { connectAutoPause, connectReplayEnd } from '../../src/store/watchers.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { attackFaults, call, round, runStart } from './fixtures.js';
import { KEYS, cleanupAll, renderApp, settle, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

afterEach(() => cleanupAll());

const flat = (text: string) => text.replace(/\s+/g, ' ');

function attackRun(): HybridEvent[] {
  return [
    runStart(),
    ...round(1, 1000),
    ...attackFaults(4000),
    ...round(2, 5000, { attack: true, corruptBetaVote: 'honest' }),
    ...round(3, 9000),
  ];
}

describe('why', () => {
  test('gives the arithmetic, the fault bound, validity and what the protocol did', () => {
    const store = storeWith(attackRun());
    const snapshot = store.getState().history[1]!.snapshot;
    const text = whyParagraphs(snapshot, store.getState().agents).join('\n');
    expect(text).toContain('Candidate: n999 (score 1.00) proposed by Beta-Memory.');
    expect(text).toContain('Validity: n999 is invalid: not in cluster.');
    expect(text).toContain(
      'Votes: accept 3.3 (Alpha-GPU 1.3, Gamma-Compute 1.1, Epsilon-Network 0.9); reject 1.2 (Beta-Memory 1.2); absent 1 (Delta-Storage absent).',
    );
    expect(text).toContain('Faults rewrote votes: Beta-Memory corrupted: accept -> reject.');
    expect(text).toContain(
      'Quorum: classic commits when accept is at least 2/3 x 5.5 = 3.67. accept 3.3 of 5.5: 3.3 >= 3.67 is false: quorum not reached.',
    );
    expect(text).toContain(
      'Fault bound: none. classic trusts its tally whatever the faulty weight (2.2 of 5.5 here).',
    );
    expect(text).toContain('What the protocol did: committed n999: UNSAFE (not in cluster).');
  });

  test('a fault that forced the vote the model gave anyway says so, not "accept -> accept"', () => {
    const vote = {
      agent: 'beta',
      vote: 'accept',
      weight: 1.2,
      status: 'counted',
      corrupted: true,
      jailed: false,
    } as const;
    expect(corruptionText({ ...vote, honestVote: 'accept' })).toBe(
      'corrupted: forced accept (model said accept too)',
    );
    expect(corruptionText({ ...vote, honestVote: 'reject' })).toBe('corrupted: reject -> accept');
    expect(corruptionText({ ...vote, honestVote: null })).toBe('corrupted');
  });

  test('bft: safety is bounded by byzantine weight and the quorum, liveness by every fault', () => {
    const why = (extra: Record<string, unknown>) => {
      const events = round(1, 1000, { protocol: 'bft' }).map((event) =>
        event.type === 'decision' ? { ...event, quorum_rule: 'more_than', ...extra } : event,
      );
      const store = storeWith([runStart(), ...(events as HybridEvent[])]);
      return whyParagraphs(store.getState().history[0]!.snapshot, store.getState().agents).join(
        '\n',
      );
    };
    // An agent jailed in this height is already faulty: counted once, not twice.
    const jailedNow = why({ faulty_weight: 1.3, byzantine_weight: 1.3, jailed_weight: 1.3 });
    expect(jailedNow).toContain(
      'Safety bound: byzantine weight 1.3 of 5.5 is under 1/3 (1.83): agreement and validity are guaranteed.',
    );
    expect(jailedNow).toContain(
      'Liveness bound: faulty weight 1.3 of 5.5 (any fault) is under 1/3: commits go on once messages arrive in time. Jailed weight 1.3 is outside the set from the height after its evidence.',
    );
    // The fork lesson: a partition makes most of the weight faulty, but only Alpha is byzantine;
    // what lets it fork the replicas is the quorum of 1/2.
    const fork = why({ faulty_weight: 3.6, byzantine_weight: 1.3, quorum_fraction: 0.5 });
    expect(fork).toContain(
      'byzantine weight 1.3 of 5.5 is under 1/3 (1.83): but the quorum 1/2 is not over 2/3, so agreement is not guaranteed.',
    );
    expect(fork).toContain('faulty weight 3.6 of 5.5 (any fault) is at or over 1/3');
  });

  test('bft reads "strictly more than", and the regret shows when the run reports it', () => {
    const events = round(1, 1000, { protocol: 'bft' }).map((event) =>
      event.type === 'decision'
        ? { ...event, quorum_rule: 'more_than', regret: 0.12, best_node_id: 'n2' }
        : event,
    );
    const store = storeWith([runStart(), ...(events as HybridEvent[])]);
    const text = whyParagraphs(store.getState().history[0]!.snapshot, store.getState().agents).join(
      '\n',
    );
    expect(text).toContain(
      "bft commits when a node's precommits are strictly more than 2/3 x 5.5 = 3.67. precommits for n1 5.5 of 5.5",
    );
    expect(text).toContain('5.5 > 3.67 is true: quorum reached');
    expect(text).toContain('Regret: 0.12 (best node n2).');
  });

  test('at the quorum exactly: classic ("at least") commits, bft ("strictly more") does not', () => {
    const at = (protocol: 'classic' | 'bft') => {
      const events = round(1, 1000, { protocol }).map((event) =>
        event.type === 'decision' ? { ...event, accept_weight: 3.67, quorum: 3.67 } : event,
      );
      const store = storeWith([runStart(), ...events]);
      return whyParagraphs(store.getState().history[0]!.snapshot, store.getState().agents).join(
        '\n',
      );
    };
    expect(at('classic')).toContain('3.67 >= 3.67 is true: quorum reached');
    expect(at('bft')).toContain('3.67 > 3.67 is false: quorum not reached');
  });

  test('w opens it in full at 80x24, wrapped and never cut', async () => {
    const app = await renderApp(storeWith(attackRun()), new FakeRuntime(), {
      columns: 80,
      rows: 24,
    });
    await app.press('[', '[', 'w');
    const frame = app.frame();
    expect(frame).toContain('Why round 2');
    expect(flat(frame)).toContain('3.3 >= 3.67 is false: quorum not reached.');
    expect(frame).not.toContain('…');
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });
});

describe('timeline', () => {
  test('[ and ] select past rounds, which show their tally and log as they were; g is live', async () => {
    const app = await renderApp(storeWith(attackRun()), new FakeRuntime(), {
      columns: 120,
      rows: 40,
    });
    expect(app.frame()).toContain('Vote tally r3');
    await app.press('[');
    expect(app.frame()).toContain('Vote tally r3');
    expect(app.frame()).toContain('viewing round 3 as it was');
    await app.press('h');
    let frame = app.frame();
    expect(frame).toContain('Vote tally r2  candidate n999');
    expect(frame).toMatch(/Beta-Memory\s+n999\s+reject\s+corrupted: accept -> reject/);
    expect(frame).toContain('Log round 2');
    expect(frame).toContain('UNSAFE commit n999');
    // The log shows round 2's entries only.
    const log = frame.split('\n').map((line) => line.split('│')[1] ?? '');
    expect(log.some((line) => line.includes('r2'))).toBe(true);
    expect(log.some((line) => / r3 /.test(line))).toBe(false);
    await app.press(']');
    expect(app.frame()).toContain('Vote tally r3');
    await app.press('l');
    expect(app.frame()).not.toContain('viewing round');
    await app.press('[', '[', 'g');
    frame = app.frame();
    expect(frame).not.toContain('viewing round');
    expect(frame).toContain('Vote tally r3');
  });

  test('u asks the runtime to rewind to the round shown', async () => {
    const runtime = new FakeRuntime();
    const rewinds: number[] = [];
    Object.assign(runtime, {
      rewind: (round: number) => {
        rewinds.push(round);
        return null;
      },
    });
    const app = await renderApp(storeWith(attackRun()), runtime);
    await app.press('[', '[', 'u');
    expect(rewinds).toEqual([2]);
    expect(app.frame()).toContain('rewinding to the start of round 2...');
    // Once the round starts again the notice says the rewind is done, not that it goes on.
    runtime.emit(round(1, 0)[0]!);
    await settle();
    expect(app.frame()).toContain('rewinding to the start of round 2...');
    runtime.emit(round(2, 0)[0]!);
    await settle();
    expect(app.frame()).toContain('rewound to the start of round 2');
    expect(app.frame()).not.toContain('rewinding');
  });

  test('a rewind that reaches its round before rewind() returns says it is done', async () => {
    // At speed max the fast-forward can run to the round synchronously.
    const runtime = new FakeRuntime();
    Object.assign(runtime, {
      rewind: (target: number) => {
        runtime.emit(round(target, 0)[0]!);
        return null;
      },
    });
    const app = await renderApp(storeWith(attackRun()), runtime);
    await app.press('[', '[', 'u');
    expect(app.frame()).toContain('rewound to the start of round 2');
    expect(app.frame()).not.toContain('rewinding');
  });
});

describe('overlays at 80x24', () => {
  test('the help scrolls with j/k and PgUp/PgDn to its last line, and fits', async () => {
    const app = await renderApp(storeWith(attackRun()), new FakeRuntime(), {
      columns: 80,
      rows: 24,
    });
    await app.press('?');
    expect(app.frame()).toContain('lines 1-');
    expect(app.frame()).not.toContain('(end)');
    for (let i = 0; i < 10; i++) await app.press(KEYS.pageDown);
    expect(app.frame()).toContain('(end)');
    expect(flat(app.frame())).toContain('what the model said.');
    await app.press('k');
    expect(app.frame()).not.toContain('(end)');
    await app.press('j');
    expect(app.frame()).toContain('(end)');
    for (const line of app.frame().split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(app.frame().split('\n').length).toBeLessThanOrEqual(23);
  });

  test('the help lists every glyph once, with one meaning', async () => {
    const { LEGEND } = await import('../../components/glyphs.js');
    const glyphs = LEGEND.flatMap((group) => group.items.map(([glyph]) => glyph));
    expect(new Set(glyphs).size).toBe(glyphs.length);
    const app = await renderApp(storeWith(attackRun()), new FakeRuntime(), {
      columns: 100,
      rows: 80,
    });
    await app.press('?');
    for (const glyph of ['✓', '✗', '∅', '⊘', '▶', '▼', '▲']) expect(app.frame()).toContain(glyph);
  });

  test("the detail of an agent's last call scrolls to the end of a long prompt", async () => {
    const long = Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n');
    const store = storeWith([
      runStart(),
      ...call(1, 'beta', 'propose', 10, '{"node_id": "n3"}', { prompt: long }),
    ]);
    const app = await renderApp(store, new FakeRuntime(), { columns: 80, rows: 24 });
    await app.press('2', KEYS.enter);
    expect(app.frame()).toContain('{"node_id": "n3"}');
    for (let i = 0; i < 10; i++) await app.press(KEYS.pageDown);
    expect(app.frame()).toContain('line 59');
    expect(app.frame()).toContain('(end)');
  });
});

describe('replay is read-only', () => {
  test('fault and protocol keys are refused with a notice; the run is not touched', async () => {
    const start = { ...runStart(), mode: 'replay' } as HybridEvent;
    const runtime = new FakeRuntime();
    const app = await renderApp(storeWith([start, ...round(1, 1000)]), runtime, {
      columns: 80,
      rows: 24,
    });
    await app.press('c');
    expect(app.frame()).toContain('replay is read-only: c (crash) refused');
    await app.press('b', 's', 'r', 'R', 'p');
    expect(runtime.commands()).toEqual([]);
    await app.press(' ');
    expect(app.frame()).not.toContain('read-only');
    expect(runtime.calls).toEqual([{ method: 'togglePause' }]);
  });

  test('the help says which keys a replay refuses', () => {
    const text = (readOnly: boolean) =>
      helpRows(100, readOnly)
        .map((row) => row.map((segment) => ('text' in segment ? segment.text : '')).join(''))
        .join('\n');
    expect(text(true)).toMatch(/c\s+crash the selected agent \(refused: a replay\)/);
    expect(text(true)).toMatch(/p\s+toggle protocol classic \/ bft \(refused: a replay\)/);
    expect(text(true)).not.toMatch(/pause \/ resume \(refused/);
    expect(text(false)).not.toContain('refused');
  });

  test('the key line offers only the keys a replay takes', async () => {
    const keyLine = async (mode: 'replay' | 'offline') => {
      const start = { ...runStart(), mode } as HybridEvent;
      const app = await renderApp(storeWith([start, ...round(1, 1000)]), new FakeRuntime(), {
        columns: 120,
        rows: 40,
      });
      const line = app.frame().split('\n').at(-1) ?? '';
      cleanupAll();
      return line;
    };
    const live = await keyLine('offline');
    expect(live).toMatch(/b byzantine {2}c crash {2}s slow {2}r recover/);
    const replay = await keyLine('replay');
    expect(replay).not.toMatch(/byzantine|crash|slow|recover|protocol/);
    // The room goes to keys that work in a replay.
    expect(replay).toMatch(/space pause {2}n step .*\[ \] rounds/);
    expect(replay).toMatch(/\? help {2}q quit/);
  });
});

describe('watchers', () => {
  test('auto-pause stops on UNSAFE and on a new section, not on the first; a turns it off', () => {
    const runtime = new FakeRuntime();
    const store = storeWith([runStart()]);
    expect(store.getState().ui.autoPause).toBe(true); // the tour
    connectAutoPause(runtime, store);
    runtime.emit({ type: 'section', t: 0, index: 1, total: 5, title: 'healthy' });
    runtime.emit(...round(1, 1000));
    expect(runtime.status().paused).toBe(false);
    runtime.emit(...attackFaults(4000));
    expect(runtime.status().paused).toBe(true);
    expect(store.getState().ui.notice).toContain('auto-paused at section 2/5');
    runtime.resume();
    runtime.emit(...round(2, 5000, { attack: true }));
    expect(runtime.status().paused).toBe(true);
    expect(store.getState().ui.notice).toContain('UNSAFE commit of n999 in round 2');
    runtime.resume();
    store.getState().actions.toggleAutoPause();
    runtime.emit(...round(3, 9000, { attack: true }));
    expect(runtime.status().paused).toBe(false);
  });

  test('a FORK pauses like UNSAFE', () => {
    const runtime = new FakeRuntime();
    const store = storeWith([runStart()]);
    connectAutoPause(runtime, store);
    runtime.emit(
      ...round(1, 1000, { protocol: 'bft' }).map((event) =>
        event.type === 'decision' ? ({ ...event, fork: true } as HybridEvent) : event,
      ),
    );
    expect(runtime.status().paused).toBe(true);
    expect(store.getState().ui.notice).toContain('FORK in round 1');
  });

  test('a recording cut short says where it ends', () => {
    const runtime = new FakeRuntime();
    const store = storeWith([runStart()]);
    connectReplayEnd(runtime, store, { lastRound: 1, complete: false });
    runtime.emit(...round(1, 1000));
    expect(runtime.status().paused).toBe(false);
    runtime.emit(round(2, 5000)[0]!);
    expect(runtime.status().paused).toBe(true);
    expect(store.getState().ui.notice).toBe(
      'recording cut short: it ends after round 1 (no summary); replay paused',
    );
  });
});

describe('log', () => {
  test('keeps the start of a long response (the vote) in view, marking the cut', () => {
    const store = storeWith([
      runStart(),
      ...call(1, 'beta', 'vote', 10, `{"vote":"reject","reasoning":"${'because '.repeat(60)}"}`),
    ]);
    const entry = store.getState().log.find((e) => e.kind === 'call')!;
    const rows = entryRows(entry, { width: 60, showPrompts: false, responseRows: 3 });
    const text = rows.map((row) => row.segments.map((s) => ('text' in s ? s.text : '')).join(''));
    expect(text[1]).toContain('< {"vote":"reject"');
    expect(text.at(-1)?.endsWith('…')).toBe(true);
  });
});
