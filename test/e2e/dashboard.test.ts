// The dashboard in a real terminal, as a person meets it: keys typed, the screen read back.
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

function start(cols: number, rows: number, args: string[]): TmuxSession {
  const s = new TmuxSession(cols, rows, args);
  sessions.push(s);
  return s;
}

const AGENTS = ['Alpha-GPU', 'Beta-Memory', 'Gamma-Compute', 'Delta-Storage', 'Epsilon-Network'];
const rowOf = (screen: string, name: string) =>
  screen.split('\n').find((l) => l.includes(name)) ?? '';
const countdown = (row: string) => Number(/(\d+) s\b/.exec(row)?.[1] ?? NaN);
const phase = (screen: string) => /phase (\w+)/.exec(screen)?.[1];

describe('dashboard at 120x40', () => {
  it('shows the agents, injects a crash by key, pauses, steps and quits cleanly', async () => {
    const t = start(120, 40, ['--offline', '--seed', '3']);
    let screen = await t.waitFor(
      (s) => AGENTS.every((a) => s.includes(a)) && s.includes('RUNNING'),
    );
    expect(screen.split('\n').every((l) => l.length <= 120)).toBe(true);

    t.keys('3', 'c');
    screen = await t.waitFor(
      (s) =>
        /crash/.test(rowOf(s, 'Gamma-Compute')) &&
        !Number.isNaN(countdown(rowOf(s, 'Gamma-Compute'))),
    );
    expect(rowOf(screen, 'Gamma-Compute')).toMatch(/✖/);

    t.keys('Space');
    screen = await t.waitFor((s) => s.includes('PAUSED'));
    const held = countdown(rowOf(screen, 'Gamma-Compute'));
    const pausedPhase = phase(screen);
    // Wall time passes; simulated time must not.
    await new Promise((r) => setTimeout(r, 1500));
    screen = t.screen();
    expect(countdown(rowOf(screen, 'Gamma-Compute'))).toBe(held);
    expect(phase(screen)).toBe(pausedPhase);

    t.keys('n');
    screen = await t.waitFor((s) => phase(s) !== pausedPhase);
    expect(screen).toContain('PAUSED');

    t.keys('q');
    screen = await t.waitFor((s) => s.includes('EXIT='));
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('MAIN-SCREEN-MARKER');
    expect(screen).not.toContain('Vote tally');
  }, 30_000);
});

describe('dashboard at 60x15', () => {
  it('shows a compact screen that fits, and quits cleanly', async () => {
    const t = start(60, 15, ['--offline', '--seed', '3']);
    const screen = await t.waitFor(
      (s) => AGENTS.every((a) => s.includes(a)) && s.includes('q quit'),
    );
    const lines = screen.split('\n');
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(screen).toMatch(/health \[[#.]+\] \d\/5/);
    t.keys('q');
    expect(await t.waitFor((s) => s.includes('EXIT='))).toContain('EXIT=0');
  }, 30_000);

  it('says plainly when the terminal is too small', async () => {
    const t = start(30, 8, ['--offline', '--seed', '3']);
    const screen = await t.waitFor((s) => s.includes('too small'));
    expect(screen).toMatch(/terminal too small \(30x8\)/);
    t.keys('q');
    expect(await t.waitFor((s) => s.includes('EXIT='))).toContain('EXIT=0');
  }, 30_000);
});
