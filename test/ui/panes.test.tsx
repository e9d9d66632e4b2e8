import { Text } from 'ink';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { AgentDetail } from '../../components/AgentDetail.js';
import { AgentsPane } from '../../components/AgentsPane.js';
import { Header } from '../../components/Header.js';
import { HelpOverlay } from '../../components/HelpOverlay.js';
import { HistoryStrip } from '../../components/HistoryStrip.js';
import { LogPane } from '../../components/LogPane.js';
import { TallyPane } from '../../components/TallyPane.js';
import { tallyBarRow } from '../../components/tallyRows.js';
import type { HybridEvent } from '../../src/core/events.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { attackFaults, call, round, runStart } from './fixtures.js';
import { renderPane, settle, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

afterEach(() => cleanup());

const attacked = () => [
  runStart(),
  ...round(1, 1000),
  ...attackFaults(4000),
  ...round(2, 5000, { attack: true }),
];

describe('AgentsPane', () => {
  test('shows health, each agent and a moving recovery countdown', async () => {
    const store = storeWith(attacked());
    store.getState().actions.setNow(10_000);
    const pane = renderPane(<AgentsPane width={80} height={6} />, store);
    const frame = pane.frame();
    expect(frame).toContain('health [############........] 3/5');
    expect(frame).toMatch(/>● Alpha-GPU\s+gpu\s+1\.3\s+rep 1\.00\s+calls 4/);
    expect(frame).toMatch(/⚠ Beta-Memory\s+memory\s+1\.2 byzantine 19 s \[######\.\.\]/);
    expect(frame).toMatch(/✖ Delta-Storage\s+storage\s+1\.0 crash\s+14 s \[######\.\.\]/);
    expect(frame).toContain('▄▄▄▄'); // equal latencies make a flat sparkline
    store.getState().actions.setNow(20_000);
    await settle();
    expect(pane.frame()).toMatch(/byzantine {2}9 s \[###\.\.\.\.\.\]/);
    expect(pane.frame()).toMatch(/crash\s+4 s \[##\.\.\.\.\.\.\]/);
  });

  test('spins while an agent is thinking and marks quarantine', () => {
    const request = call(3, 'gamma', 'propose', 9000, 'x')[0] as HybridEvent;
    const store = storeWith([
      runStart(),
      request,
      { type: 'reputation', t: 9000, agent: 'beta', reputation: 0.2, quarantined: true },
    ]);
    const frame = renderPane(<AgentsPane width={90} height={6} />, store).frame();
    // The thinking glyph is a frame of the dots spinner, driven by the store's clock.
    expect(frame).toMatch(/●[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]Gamma-Compute/);
    expect(frame).toMatch(/Beta-Memory.*rep 0\.20 quarantined/);
  });

  test('windows the rows to keep the selected agent in view', () => {
    const store = storeWith([runStart()]);
    store.getState().actions.selectAgent(4);
    const frame = renderPane(<AgentsPane width={80} height={3} />, store).frame();
    expect(frame.split('\n')).toHaveLength(3);
    expect(frame).toContain('>● Epsilon-Network');
    expect(frame).not.toContain('Alpha-GPU');
  });
});

describe('TallyPane', () => {
  test('lists proposals with validity, flags the unsafe commit and draws the quorum mark', () => {
    const store = storeWith(attacked());
    const frame = renderPane(<TallyPane width={90} height={8} />, store).frame();
    expect(frame).toContain('Vote tally  candidate n999  UNSAFE: not in cluster');
    expect(frame).toMatch(/✓ Alpha-GPU\s+n1\s+0\.90/);
    expect(frame).toMatch(/✗ Beta-Memory\s+n999\s+1\.00\s+not in cluster \(corrupted\)/);
    expect(frame).toMatch(/✖ Delta-Storage\s+-\s+-\s+crashed/);
    expect(frame).toMatch(/accept \[[#.|]+\] 4\.5 \/ 5\.5 {2}quorum 3\.67 {2}reject 0 {2}absent 1/);
    expect(frame).toContain('✗ UNSAFE commit n999 (not in cluster)');
  });

  test('puts the quorum mark at two thirds of the bar', () => {
    const row = tallyBarRow(
      { accept: 2.75, reject: 1.1, absent: 0, quorum: 11 / 3, total: 5.5 },
      76,
    );
    const bar = row.map((segment) => ('text' in segment ? segment.text : '')).join('');
    const inner = bar.slice(bar.indexOf('[') + 1, bar.indexOf(']'));
    expect(inner.length - 1).toBe(30);
    expect(inner.indexOf('|')).toBe(20);
    expect(inner.replace('|', '')).toBe(`${'#'.repeat(15)}${'x'.repeat(6)}${' '.repeat(9)}`);
  });

  test('shows a committed decision and a no-decision with its reason', () => {
    const store = storeWith([runStart(), ...round(1, 1000)]);
    expect(renderPane(<TallyPane width={90} height={8} />, store).frame()).toContain(
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
    expect(renderPane(<TallyPane width={90} height={8} />, store).frame()).toContain(
      '· no decision: faulty weight 2.2 of 5.5 is over 1/3',
    );
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
    expect(frame).toContain('Rounds ✓n1 ✗n999 ·');
    expect(frame).toContain('last 3: 2 committed, 1 unsafe, 1 no decision');
  });

  test('keeps the newest rounds when they do not all fit', () => {
    const events: HybridEvent[] = [runStart()];
    for (let n = 1; n <= 30; n++) events.push(...round(n, n * 3000));
    const frame = renderPane(<HistoryStrip width={30} height={1} />, storeWith(events)).frame();
    expect(frame).toBe('Rounds … ✓n1 ✓n1 ✓n1 ✓n1 ✓n1');
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
    store.getState().actions.scrollLog(5);
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
    const pane = renderPane(<Header width={140} />, store, runtime);
    expect(pane.frame()).toBe(
      ' hybrid-tui  tour 2/5: attack  round 2  phase DECIDE  protocol classic  offline  x1   RUNNING',
    );
    store
      .getState()
      .actions.setStatus({ paused: true, speed: 'max', scenarioDone: false, stopped: false });
    await settle();
    expect(pane.frame()).toContain('max   PAUSED');
  });

  test('drops the least important parts first on a narrow terminal', () => {
    const frame = renderPane(<Header width={70} />, storeWith(attacked())).frame();
    expect(frame).toBe(' hybrid-tui  round 2  phase DECIDE  protocol classic   RUNNING');
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
