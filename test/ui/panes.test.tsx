import { Text } from 'ink';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { AgentDetail } from '../../components/AgentDetail.js';
import { AgentsPane } from '../../components/AgentsPane.js';
import { Caption, FREE_PLAY, REPLAYED_FREE_PLAY } from '../../components/Caption.js';
import { CAPTION_ROWS } from '../../components/layout.js';
import { wrapText } from '../../components/segments.js';
import { Header } from '../../components/Header.js';
import { HelpOverlay } from '../../components/HelpOverlay.js';
import { HistoryStrip } from '../../components/HistoryStrip.js';
import { LogPane } from '../../components/LogPane.js';
import { Overlay } from '../../components/Overlay.js';
import { entrySummary } from '../../components/logLines.js';
import { TallyPane } from '../../components/TallyPane.js';
import { tallyBarRow } from '../../components/tallyRows.js';
import type { HybridEvent } from '../../src/core/events.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { attackFaults, call, round, runStart } from './fixtures.js';
import { renderPane, settle, storeWith } from './render.js';

type RunStart = Extract<HybridEvent, { type: 'run_start' }>;

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

afterEach(() => cleanup());

const attacked = () => [
  runStart(),
  ...round(1, 1000),
  ...attackFaults(4000),
  ...round(2, 5000, { attack: true }),
];

const betaByzantine = {
  type: 'fault',
  t: 1000,
  agent: 'beta',
  kind: 'byzantine',
  duration_ms: 25_000,
  recover_at: 26_000,
  by: 'scenario',
} as HybridEvent;

/** The agents pane's row for `name`, rendered `width` wide. */
function agentRowAt(width: number, store: ReturnType<typeof storeWith>, name: string): string {
  return (
    renderPane(<AgentsPane width={width} height={6} />, store)
      .frame()
      .split('\n')
      .find((line) => line.includes(name)) ?? ''
  );
}

describe('AgentsPane', () => {
  test('shows health, each agent and a moving recovery countdown', async () => {
    const store = storeWith(attacked());
    store.getState().actions.setNow(10_000);
    const pane = renderPane(<AgentsPane width={80} height={6} />, store);
    const frame = pane.frame();
    expect(frame).toContain('health [############........] 3/5');
    expect(frame).toMatch(/▶● Alpha-GPU\s+gpu\s+1\.3\s+calls 4/);
    expect(frame).toMatch(/⚠ Beta-Memory\s+memory\s+1\.2 byzantine 19 s \[######\.\.\]/);
    expect(frame).toMatch(/✖ Delta-Storage\s+storage\s+1\.0 crash\s+14 s \[######\.\.\]/);
    expect(frame).toContain('▄▄▄▄'); // equal latencies make a flat sparkline
    store.getState().actions.setNow(20_000);
    await settle();
    expect(pane.frame()).toMatch(/byzantine {2}9 s \[###\.\.\.\.\.\]/);
    expect(pane.frame()).toMatch(/crash\s+4 s \[##\.\.\.\.\.\.\]/);
  });

  test('spins while an agent is thinking and marks a jailed agent', () => {
    const request = call(3, 'gamma', 'propose', 9000, 'x')[0] as HybridEvent;
    const store = storeWith([
      runStart(),
      request,
      { type: 'reputation', t: 9000, agent: 'beta', reputation: 0.2, quarantined: true },
    ]);
    const frame = renderPane(<AgentsPane width={90} height={6} />, store).frame();
    // The thinking glyph is a frame of the dots spinner, driven by the store's clock.
    expect(frame).toMatch(/●[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]Gamma-Compute/);
    expect(frame).toMatch(/⊘ Beta-Memory.*jailed.*rep 0\.20/);
    // A jailed agent's vote counts as absent: it is not counted healthy.
    expect(frame).toContain('4/5');
  });

  test('a faulted agent that is jailed says so before its fault, where a narrow pane keeps it', () => {
    const store = storeWith([
      runStart(),
      betaByzantine,
      {
        type: 'jail',
        t: 2000,
        round: 1,
        agent: 'beta',
        evidence: 'equivocation',
        until_height: 9,
      } as unknown as HybridEvent,
    ]);
    // The pane beside the log at 120x40 is 61 wide.
    expect(agentRowAt(61, store, 'Beta-Memory')).toMatch(
      /⚠ Beta-Memory\s+memory\s+1\.2 jailed byzantine\s+\d+ s/,
    );
    // At 62 columns (100x30) the bar no longer fits: dropped whole, not cut to "[###...…".
    expect(agentRowAt(62, store, 'Beta-Memory')).toMatch(/jailed byzantine\s+\d+ s\s*$/);
  });

  test('a row too narrow for its call count drops it whole rather than cutting it', () => {
    const store = storeWith([runStart(), betaByzantine]);
    // The agents pane at 100x30 is 62 wide: "calls" was cut to "ca…" there.
    const beta = agentRowAt(62, store, 'Beta-Memory');
    expect(beta).toMatch(/byzantine\s+\d+ s \[[#.]+\]\s*$/);
    expect(beta).not.toContain('…');
    expect(agentRowAt(62, store, 'Alpha-GPU')).toMatch(/calls 0/);
  });

  test('a weight of two decimals is shown whole, in a column that stays aligned', () => {
    const start = runStart() as RunStart;
    const agents = start.agents.map((a) => (a.id === 'beta' ? { ...a, weight: 1.25 } : a));
    const store = storeWith([{ ...start, agents, total_weight: 5.55 }]);
    const frame = renderPane(<AgentsPane width={80} height={6} />, store).frame();
    const beta = frame.split('\n').find((line) => line.includes('Beta-Memory')) ?? '';
    const alpha = frame.split('\n').find((line) => line.includes('Alpha-GPU')) ?? '';
    // toFixed(1) showed 1.25 as "1.3", the same as Alpha's.
    expect(beta).toMatch(/memory\s+1\.25 /);
    expect(alpha.indexOf('1.3 ') + '1.3'.length).toBe(beta.indexOf('1.25 ') + '1.25'.length);
    // The compact screen's merged agents and tally: the same weight, the same alignment.
    const merged = renderPane(<TallyPane width={80} height={12} merged />, store).frame();
    const rows = merged.split('\n');
    const mBeta = rows.find((line) => line.includes('Beta-Memory')) ?? '';
    const mAlpha = rows.find((line) => line.includes('Alpha-GPU')) ?? '';
    expect(mBeta).toContain(' 1.25 ');
    expect(mAlpha.indexOf(' 1.3 ') + ' 1.3'.length).toBe(mBeta.indexOf(' 1.25 ') + ' 1.25'.length);
    const heading = rows.find((line) => /agent\s+w\s+fault/.test(line)) ?? '';
    expect(heading.indexOf('fault')).toBe(mBeta.indexOf(' 1.25 ') + ' 1.25 '.length);
  });

  test('windows the rows to keep the selected agent in view', () => {
    const store = storeWith([runStart()]);
    store.getState().actions.selectAgent(4);
    const frame = renderPane(<AgentsPane width={80} height={3} />, store).frame();
    expect(frame.split('\n')).toHaveLength(3);
    expect(frame).toContain('▶● Epsilon-Network');
    expect(frame).not.toContain('Alpha-GPU');
  });
});

describe('TallyPane', () => {
  test("lists every agent's proposal and vote, and flags the unsafe commit", () => {
    const store = storeWith(attacked());
    const frame = renderPane(<TallyPane width={90} height={10} />, store).frame();
    expect(frame).toContain('Vote tally r2  candidate n999  UNSAFE: not in cluster');
    expect(frame).toMatch(/agent\s+proposes\s+votes/);
    expect(frame).toMatch(/● Alpha-GPU\s+n1\s+accept/);
    expect(frame).toMatch(/⚠ Beta-Memory\s+n999\s+accept\s+proposal invalid, corrupted/);
    expect(frame).toMatch(/✖ Delta-Storage\s+-\s+absent\s+proposal absent/);
    expect(frame).toMatch(/accept \[[#.|]+\] 4\.5 \/ 5\.5 {2}quorum 3\.67 {2}reject 0 {2}absent 1/);
    expect(frame).toContain('✗ UNSAFE commit n999 (not in cluster)');
  });

  test('names the corrupted vote: accept -> reject with the honest vote, else corrupted', () => {
    const base = [runStart(), ...attackFaults(4000)];
    const honest = storeWith([
      ...base,
      ...round(2, 5000, { attack: true, corruptBetaVote: 'honest' }),
    ]);
    expect(renderPane(<TallyPane width={90} height={10} />, honest).frame()).toMatch(
      /Beta-Memory\s+n999\s+reject\s+corrupted: accept -> reject/,
    );
    cleanup();
    const bare = storeWith([...base, ...round(2, 5000, { attack: true, corruptBetaVote: 'bare' })]);
    const frame = renderPane(<TallyPane width={90} height={10} />, bare).frame();
    expect(frame).toMatch(/Beta-Memory\s+n999\s+reject\s+corrupted {2}proposal/);
    expect(frame).not.toContain('accept -> reject');
  });

  test('a jailed agent votes "jailed"', () => {
    const store = storeWith([
      runStart(),
      { type: 'reputation', t: 900, agent: 'gamma', reputation: 0.2, quarantined: true },
      ...round(1, 1000, { protocol: 'bft' }).map((event) =>
        event.type === 'vote' && event.agent === 'gamma'
          ? { ...event, vote: null, status: 'absent' as const }
          : event,
      ),
    ]);
    expect(renderPane(<TallyPane width={90} height={10} />, store).frame()).toMatch(
      /⊘ Gamma-Compute\s+n1\s+jailed/,
    );
  });

  test('puts the quorum mark at two thirds of the bar, and keeps every figure', () => {
    const row = tallyBarRow(
      { accept: 2.75, reject: 1.1, absent: 0, quorum: 11 / 3, total: 5.5 },
      96,
    );
    const bar = row.map((segment) => ('text' in segment ? segment.text : '')).join('');
    const inner = bar.slice(bar.indexOf('[') + 1, bar.indexOf(']'));
    expect(inner.length - 1).toBe(30);
    expect(inner.indexOf('|')).toBe(20);
    expect(inner.replace('|', '')).toBe(`${'#'.repeat(15)}${'x'.repeat(6)}${' '.repeat(9)}`);
    for (const width of [40, 50, 61, 80]) {
      const text = tallyBarRow(
        { accept: 4.5, reject: 0, absent: 1, quorum: 3.67, total: 5.5 },
        width,
      )
        .map((segment) => ('text' in segment ? segment.text : ''))
        .join('');
      expect(text.length, `width ${width}: ${text}`).toBeLessThanOrEqual(width);
      expect(text).toMatch(/(absent|abs) 1$/);
    }
  });

  test('shows a committed decision and a no-decision with its reason', () => {
    const store = storeWith([runStart(), ...round(1, 1000)]);
    expect(renderPane(<TallyPane width={90} height={10} />, store).frame()).toContain(
      '✓ committed n1',
    );
    store.getState().actions.applyEvents([
      {
        type: 'decision',
        t: 3000,
        round: 1,
        attempt: 2,
        protocol: 'bft',
        outcome: 'no_decision',
        node_id: null,
        valid: null,
        unsafe: false,
        accept_weight: 2.2,
        reject_weight: 0,
        absent_weight: 3.3,
        total_weight: 5.5,
        quorum: 3.67,
        failed_operations: 2,
        reason: 'faulty weight 2.2 of 5.5 is over 1/3',
      },
    ]);
    expect(renderPane(<TallyPane width={90} height={10} />, store).frame()).toContain(
      '∅ no decision: faulty weight 2.2 of 5.5 is over 1/3',
    );
  });
});

describe('Caption', () => {
  const section = (caption?: string): HybridEvent => ({
    type: 'section',
    t: 0,
    index: 1,
    total: 1,
    title: 'healthy system',
    ...(caption === undefined ? {} : { caption }),
  });

  test("a section without a caption shows the scenario's description, not two empty rows", () => {
    const start = runStart();
    const healthy = {
      ...start,
      scenario: 'healthy',
      config: { ...(start as RunStart).config, scenario: BUILTIN_SCENARIOS['healthy']! },
    } as HybridEvent;
    const frame = renderPane(
      <Caption width={80} height={2} />,
      storeWith([healthy, section()]),
    ).frame();
    expect(frame.trimEnd()).toBe('healthy: no faults: every round should commit a valid node');
    const own = renderPane(
      <Caption width={80} height={2} />,
      storeWith([healthy, section('Watch the tally.')]),
    ).frame();
    expect(own.trimEnd()).toBe('Watch the tally.');
  });

  test("every section of every built-in scenario fits its caption's two rows at 80 columns", () => {
    expect(wrapText(FREE_PLAY, 80).length).toBeLessThanOrEqual(CAPTION_ROWS);
    for (const [name, spec] of Object.entries(BUILTIN_SCENARIOS))
      for (const step of spec.steps) {
        if (step.type !== 'section' || step.caption === undefined) continue;
        const frame = renderPane(
          <Caption width={80} height={CAPTION_ROWS} />,
          storeWith([runStart(), section(step.caption)]),
        ).frame();
        expect(frame, `${name}: ${step.title}`).not.toContain('…');
        expect(frame.replace(/\s+/g, ' ').trim(), `${name}: ${step.title}`).toBe(step.caption);
      }
  });

  test('free play in a replay says the rounds are replayed, not which fault keys to press', () => {
    const end: HybridEvent = { type: 'scenario_end', t: 0, free_play: true };
    const caption = (mode: 'offline' | 'replay') =>
      renderPane(
        <Caption width={80} height={CAPTION_ROWS} />,
        storeWith([{ ...runStart(), mode } as HybridEvent, section('Watch.'), end]),
      )
        .frame()
        .replace(/\s+/g, ' ')
        .trim();
    expect(caption('offline')).toBe(FREE_PLAY);
    expect(caption('replay')).toBe(REPLAYED_FREE_PLAY);
    expect(wrapText(REPLAYED_FREE_PLAY, 80).length).toBeLessThanOrEqual(CAPTION_ROWS);
  });

  test('a caption longer than its rows ends in "…", never cut silently', () => {
    const text = 'word '.repeat(40).trim();
    const rows = renderPane(
      <Caption width={30} height={2} />,
      storeWith([runStart(), section(text)]),
    )
      .frame()
      .split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]?.trimEnd()).toMatch(/…$/);
    expect([...(rows[1]?.trimEnd() ?? '')].length).toBeLessThanOrEqual(30);
  });

  test('a scenario file without a description shows nothing there', () => {
    // A scenario file may leave its description out: run_start then carries ''.
    const start = runStart() as RunStart;
    const bare: HybridEvent = {
      ...start,
      config: { ...start.config, scenario: { ...start.config.scenario, description: '' } },
    };
    expect(
      renderPane(<Caption width={80} height={2} />, storeWith([bare, section()]))
        .frame()
        .trim(),
    ).toBe('');
  });
});

describe('Overlay', () => {
  test('its footer counts the lines, one line in the singular', () => {
    const overlay = (rows: number) =>
      renderPane(
        <Overlay
          scope="why"
          title={[{ text: 'Why' }]}
          rows={Array.from({ length: rows }, (_, i) => [{ text: `row ${i}` }])}
          width={40}
          height={8}
        />,
        storeWith([runStart()]),
      ).frame();
    expect(overlay(1)).toContain('1 line  Esc closes');
    expect(overlay(3)).toContain('3 lines  Esc closes');
  });
});

describe('HistoryStrip', () => {
  test('marks commits, unsafe commits and rounds without a decision', () => {
    const events = [...attacked()];
    events.push({
      type: 'decision',
      t: 9000,
      round: 3,
      attempt: 3,
      protocol: 'bft',
      outcome: 'no_decision',
      node_id: null,
      valid: null,
      unsafe: false,
      accept_weight: 0,
      reject_weight: 0,
      absent_weight: 5.5,
      total_weight: 5.5,
      quorum: 3.67,
      failed_operations: 0,
      reason: 'no valid candidate',
    });
    const frame = renderPane(<HistoryStrip width={60} height={2} />, storeWith(events)).frame();
    expect(frame).toContain('Rounds 1✓n1 2✗n999 3∅');
    expect(frame).toContain('last 3: 2 committed, 1 unsafe, 1 no decision');
  });

  test('counts forks, one fork in the singular', () => {
    const forked = (n: number, t: number) =>
      round(n, t, { protocol: 'bft' }).map((event) =>
        event.type === 'decision' ? ({ ...event, fork: true } as HybridEvent) : event,
      );
    const one = [runStart(), ...round(1, 1000), ...forked(2, 4000)];
    expect(renderPane(<HistoryStrip width={80} height={2} />, storeWith(one)).frame()).toContain(
      'last 2: 2 committed, 0 unsafe, 1 fork, 0 no decision',
    );
    const two = [...one, ...forked(3, 7000)];
    expect(renderPane(<HistoryStrip width={80} height={2} />, storeWith(two)).frame()).toContain(
      'last 3: 3 committed, 0 unsafe, 2 forks, 0 no decision',
    );
  });

  test('keeps the newest rounds when they do not all fit', () => {
    const events: HybridEvent[] = [runStart()];
    for (let n = 1; n <= 30; n++) events.push(...round(n, n * 3000));
    const frame = renderPane(<HistoryStrip width={30} height={1} />, storeWith(events)).frame();
    expect(frame).toBe('Rounds … 28✓n1 29✓n1 30✓n1');
  });
});

describe('LogPane', () => {
  function parallelStreams(): HybridEvent[] {
    // Five calls in flight at once, their deltas interleaved as the runtime would deliver them.
    const calls = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((agent) =>
      call(1, agent, 'propose', 10, `{"node_id": "n1", "reasoning": "${agent} says yes"}`, {
        deltas: 4,
      }),
    );
    const requests = calls.map((events) => events[0]!);
    const deltas: HybridEvent[] = [];
    for (let i = 1; i <= 4; i++)
      for (const events of calls) if (events[i]?.type === 'llm_delta') deltas.push(events[i]!);
    return [runStart(), ...requests, ...deltas];
  }

  test('a call the core cancelled stops streaming and says why', () => {
    // Epsilon's vote was cut off after its first chunk: the height ended without it.
    const [request, firstChunk] = call(
      1,
      'epsilon',
      'vote',
      10,
      '{"vote": "accept", "reason": "x"}',
      {
        deltas: 3,
      },
    );
    const events: HybridEvent[] = [runStart(), request!, firstChunk!];
    const streaming = storeWith(events);
    expect(streaming.getState().agents[4]?.thinkingCallId).not.toBeNull();
    events.push({
      type: 'llm_cancelled',
      t: 500,
      round: 1,
      call_id: 'r1-vote-epsilon',
      agent: 'epsilon',
      phase: 'vote',
      reason: 'height_ended',
    });
    const store = storeWith(events);
    const frame = renderPane(<LogPane width={100} height={12} />, store).frame();
    expect(frame).toContain('Epsilon-Network  VOTE  r1  offline  cancelled: height ended');
    expect(frame).toContain('  < {"vote": "a\n');
    expect(frame).not.toContain('...');
    expect(store.getState().agents[4]?.thinkingCallId).toBeNull();
    expect(store.getState().agents[4]?.lastCall?.done).toBe(true);
    // The compact layout's one-line digest says it too.
    const entry = store.getState().log.find((e) => e.kind === 'call');
    expect(
      entrySummary(entry!)
        .map((segment) => ('text' in segment ? segment.text : ''))
        .join(''),
    ).toBe('Epsilon-Network vote cancelled < {"vote": "a');
  });

  test('keeps each of five parallel streams in its own block, newest at the bottom', () => {
    const store = storeWith(parallelStreams());
    const frame = renderPane(<LogPane width={80} height={20} />, store).frame();
    const lines = frame.split('\n');
    expect(lines[0]).toContain('Log (all agents, prompts shown)');
    for (const [index, name] of ['Alpha-GPU', 'Beta-Memory', 'Gamma-Compute'].entries()) {
      const header = lines.findIndex((line) =>
        line.startsWith(`${name}  PROPOSE  r1  offline  ...`),
      );
      expect(header, name).toBeGreaterThan(0);
      expect(lines[header + 1]).toContain('  > You are');
      const agent = ['alpha', 'beta', 'gamma'][index];
      expect(lines[header + 2]).toContain(
        `  < {"node_id": "n1", "reasoning": "${agent} says yes"}`,
      );
    }
    expect(lines.filter((line) => line.trim() !== '').at(-1)).toContain('epsilon says yes');
  });

  test('hides prompts and filters to one agent', async () => {
    const store = storeWith(parallelStreams());
    const pane = renderPane(<LogPane width={80} height={20} />, store);
    store.getState().actions.togglePrompts();
    await settle();
    expect(pane.frame()).toContain('prompts hidden');
    expect(pane.frame()).not.toContain('> You are');
    store.getState().actions.selectAgent(1);
    store.getState().actions.toggleLogFilter();
    await settle();
    expect(pane.frame()).toContain('Log (Beta-Memory, prompts hidden)');
    expect(pane.frame()).toContain('beta says yes');
    expect(pane.frame()).not.toContain('Alpha-GPU');
  });

  test('scrolls back by lines and clamps at the oldest line', async () => {
    const events: HybridEvent[] = [runStart()];
    for (let n = 1; n <= 3; n++) events.push(...round(n, n * 3000));
    const store = storeWith(events);
    const pane = renderPane(<LogPane width={80} height={10} />, store);
    expect(pane.frame()).toContain('round 3: committed n1');
    store.getState().actions.scrollLog(1);
    await settle();
    expect(pane.frame()).toContain('↑1 line back');
    store.getState().actions.scrollLog(4);
    await settle();
    expect(pane.frame()).toContain('↑5 lines back');
    expect(pane.frame()).not.toContain('round 3: committed n1');
    store.getState().actions.scrollLog(100_000);
    await settle();
    await settle();
    expect(pane.frame()).toContain('run started: scenario tour, seed 42, offline');
    const clamped = store.getState().ui.logScroll;
    expect(clamped).toBeLessThan(100_000);
    store.getState().actions.scrollLog(-1);
    expect(store.getState().ui.logScroll).toBe(clamped - 1);
  });
});

describe('Header', () => {
  test('shows scenario section, round, phase, protocol, mode, speed and run state', async () => {
    const runtime = new FakeRuntime();
    const store = storeWith(attacked());
    const pane = renderPane(<Header width={100} />, store, runtime);
    expect(pane.frame()).toBe(
      ' hybrid-tui  tour 2/5: attack  round 2  phase DECIDE  protocol classic  offline  x1   RUNNING',
    );
    store
      .getState()
      .actions.setStatus({ paused: true, speed: 'max', scenarioDone: false, stopped: false });
    await settle();
    expect(pane.frame()).toContain('max   PAUSED');
  });

  test('keeps the section at every width, dropping and shortening the rest first', () => {
    // ink-testing-library's terminal is 100 columns; wider headers are checked in tmux.
    for (const width of [50, 60, 70, 80, 90, 100]) {
      const frame = renderPane(<Header width={width} />, storeWith(attacked())).frame();
      expect(frame, `width ${width}`).toContain('tour 2/5: attack');
      expect(frame).toContain('RUNNING');
      // Offline answers are labelled as such at every width: the other parts go before it.
      expect(frame, `width ${width}`).toContain('offline');
      // The speed stays from 70 columns (80x24 included): + and - show even while paused.
      if (width >= 70) expect(frame, `width ${width}`).toMatch(/ x1 /);
      expect([...frame].length).toBeLessThanOrEqual(width);
      cleanup();
    }
    const narrow = renderPane(<Header width={70} />, storeWith(attacked())).frame();
    // Offline answers are labelled as such even when everything else is shortened.
    expect(narrow).toBe(' hybrid-tui  tour 2/5: attack r2 DECIDE classic offline x1   RUNNING');
  });

  test('viewing a past round at 80 columns keeps saying which round is shown, and that answers are offline', () => {
    const store = storeWith([
      ...attacked(),
      { type: 'scenario_end', t: 9000, free_play: false } as HybridEvent,
    ]);
    store.getState().actions.moveRound(-1);
    expect(store.getState().ui.viewRound).toBe(2);
    const frame = renderPane(<Header width={80} />, store).frame();
    // It read " hybrid-tui  tour finished   RUNNING": the "(v2)" tipped all five parts off.
    expect(frame).toMatch(/ r2\(v2\) DECIDE classic offline x1 +RUNNING$/);
    expect(frame).toContain('tour finished');
    expect([...frame].length).toBeLessThanOrEqual(80);
    cleanup();
    // With a long section the phase, speed and protocol go first, one at a time, not all at once.
    const long = storeWith([
      ...attacked(),
      {
        type: 'section',
        t: 9000,
        index: 3,
        total: 5,
        title: 'a very long section title here',
        caption: '',
      } as HybridEvent,
    ]);
    long.getState().actions.moveRound(-1);
    const cut = renderPane(<Header width={80} />, long).frame();
    expect(cut).toBe(
      ' hybrid-tui  tour 3/5: a very long section title here r2(v2) offline   RUNNING',
    );
  });

  test('does not change width while agents start and stop thinking (no flicker)', async () => {
    const store = storeWith(attacked());
    const pane = renderPane(<Header width={100} />, store);
    const before = pane.frame();
    store.getState().actions.applyEvents(call(3, 'gamma', 'propose', 9000, 'x').slice(0, 1));
    await settle();
    // The thinking slot has one width whether shown or not, and goes first when room is short:
    // at 100 columns it is not shown, so the line does not change at all.
    expect(store.getState().agents[2]?.thinkingCallId).not.toBeNull();
    expect(pane.frame()).toBe(before);
  });

  test("numbers the bft round within a height, so a step from one round's VOTE to the next shows", () => {
    const store = storeWith([
      ...attacked(),
      { type: 'phase', t: 9000, round: 2, phase: 'vote', attempt: 1 },
    ]);
    expect(renderPane(<Header width={100} />, store).frame()).toContain('phase VOTE #2');
    cleanup();
    // The height over, no bft round runs: IDLE has no number.
    store
      .getState()
      .actions.applyEvents([{ type: 'phase', t: 9500, round: 2, phase: 'idle', attempt: 1 }]);
    const idle = renderPane(<Header width={100} />, store).frame();
    expect(idle).toContain('phase IDLE ');
    expect(idle).not.toContain('#2');
  });

  test('says free play once the scenario is over', () => {
    const store = storeWith([...attacked(), { type: 'scenario_end', t: 9000, free_play: true }]);
    expect(renderPane(<Header width={80} />, store).frame()).toContain('free play (tour finished)');
  });
});

describe('overlays', () => {
  test('the help lists every binding', () => {
    const frame = renderPane(
      <HelpOverlay width={100} height={40} />,
      storeWith([runStart()]),
    ).frame();
    for (const text of [
      'space',
      'pause / resume',
      'PgUp',
      'make the selected agent byzantine',
      'q  Ctrl+C',
    ]) {
      expect(frame).toContain(text);
    }
  });

  test('the help reads the bft vote matrix: rows, columns, entries, lock and commit', () => {
    const flat = renderPane(<HelpOverlay width={100} height={200} />, storeWith([runStart()]))
      .frame()
      .replace(/\s+/g, ' ');
    expect(flat).toContain('a row per replica, a column per sender');
    expect(flat).toContain('"n1/lost" when not');
    expect(flat).toContain("then the replica's lock and what it committed");
  });

  test("the detail shows the selected agent's last prompt, response, latency, source and error", () => {
    const store = storeWith([
      runStart(),
      ...call(1, 'beta', 'propose', 10, '{"node_id": "n3"}', {
        prompt: 'You are Beta-Memory.\nJOB REQUEST:\nAI Training',
        latency: 1234,
        error: 'HTTP 500',
      }),
    ]);
    store.getState().actions.selectAgent(1);
    const frame = renderPane(<AgentDetail width={100} height={20} />, store).frame();
    expect(frame).toContain('● Beta-Memory');
    expect(frame).toContain('source fallback');
    expect(frame).toContain('latency 1.2 s');
    expect(frame).toContain('error: HTTP 500');
    expect(frame).toMatch(/Prompt\n {2}You are Beta-Memory\.\n {2}JOB REQUEST:/);
    expect(frame).toMatch(/Response\n {2}\{"node_id": "n3"\}/);
  });
});
