import { Text } from 'ink';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { computeLayout } from '../../components/layout.js';
import { colorsEnabled, toneColor } from '../../components/theme.js';
import type { HybridEvent } from '../../src/core/events.js';
import { attackFaults, round, runStart } from './fixtures.js';
import { cleanupAll, renderApp, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

afterEach(() => cleanupAll());

function busyStore() {
  const events: HybridEvent[] = [runStart()];
  for (let n = 1; n <= 3; n++) events.push(...round(n, n * 3000));
  events.push(...attackFaults(12_000), ...round(4, 13_000, { attack: true }));
  return storeWith(events);
}

function expectFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  expect(lines.length, `${columns}x${rows} height`).toBeLessThanOrEqual(rows - 1);
  for (const line of lines)
    expect([...line].length, `${columns}x${rows}: ${line}`).toBeLessThanOrEqual(columns);
}

describe('layout', () => {
  test('the full layout shows every pane and never fills the last row', async () => {
    const app = await renderApp(busyStore(), undefined, { columns: 140, rows: 40 });
    const frame = app.frame();
    for (const text of [
      'hybrid-tui',
      'Agents  health',
      'Vote tally',
      'Rounds 1✓n1',
      'Log (all agents',
      '? help',
    ]) {
      expect(frame).toContain(text);
    }
    expectFits(frame, 140, 40);
  });

  test('a small terminal gets the compact layout, a tiny one a plain message', async () => {
    const app = await renderApp(busyStore(), undefined, { columns: 80, rows: 24 });
    // 80x24: agents and tally in one pane, every agent's vote on its own row, the timeline, a log.
    expect(app.frame()).toContain('Agents  health');
    expect(app.frame()).toContain('UNSAFE: not in cluster');
    for (const name of [
      'Alpha-GPU',
      'Beta-Memory',
      'Gamma-Compute',
      'Delta-Storage',
      'Epsilon-Network',
    ])
      expect(app.frame()).toMatch(new RegExp(`${name}\\s+\\d\\.\\d.*(accept|reject|absent)`));
    expect(app.frame()).toContain('Rounds 1✓n1');
    expect(app.frame()).toMatch(/\nLog /);
    expectFits(app.frame(), 80, 24);
    await app.resize({ columns: 60, rows: 10 });
    expect(app.frame()).toMatch(/\nLog /);
    expectFits(app.frame(), 60, 10);
    await app.resize({ columns: 39, rows: 20 });
    expect(app.frame().replace(/\s+/g, ' ').trim()).toBe(
      'terminal too small (39x20); need at least 40x10',
    );
    await app.resize({ columns: 120, rows: 9 });
    expect(app.frame().trim()).toBe('terminal too small (120x9); need at least 40x10');
    await app.resize({ columns: 140, rows: 40 });
    expect(app.frame()).toContain('Rounds');
  });

  test('no size between the minimum and a large terminal overflows', async () => {
    const app = await renderApp(busyStore(), undefined, { columns: 40, rows: 10 });
    for (const columns of [40, 57, 80, 99, 100, 131, 200]) {
      for (const rows of [10, 13, 24, 29, 30, 34, 60]) {
        await app.resize({ columns, rows });
        expectFits(app.frame(), columns, rows);
      }
    }
  });

  test('nine agents fit the smallest full layout', () => {
    const layout = computeLayout(100, 30, 9);
    expect(layout.mode).toBe('full');
    if (layout.mode !== 'full') return;
    expect(
      layout.agentsHeight +
        layout.tallyHeight +
        layout.whyHeight +
        layout.historyHeight +
        3 * layout.gap,
    ).toBeLessThanOrEqual(layout.bodyHeight);
  });
});

describe('NO_COLOR', () => {
  test('set and non-empty turns colour off', () => {
    expect(colorsEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorsEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorsEnabled({})).toBe(true);
    expect(toneColor('bad', false)).toBeUndefined();
    expect(toneColor('bad', true)).toBe('red');
  });
});
