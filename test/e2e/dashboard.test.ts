// The dashboard in a real terminal, as a person meets it: keys typed, the screen read back.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../cli/helpers.js';
import { sessionStarter, type TmuxSession } from './tmux.js';

const start = sessionStarter();

/**
 * Keys are read once Ink has the terminal in raw mode; before that the terminal's line
 * discipline holds them (or turns Ctrl+C into SIGINT). A key whose effect shows proves the keymap
 * is listening: v hides the prompts in the log, and v again shows them.
 */
async function keymapReady(t: TmuxSession): Promise<void> {
  t.keys('v');
  await t.waitFor((s) => s.includes('prompts hidden'));
  t.keys('v');
  await t.waitFor((s) => s.includes('prompts shown'));
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

    await keymapReady(t);
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

describe('dashboard exit paths', () => {
  it.each([['SIGTERM'], ['SIGHUP']] as const)(
    'restores the main screen on %s',
    async (signal) => {
      const t = start(100, 30, ['--offline', '--seed', '3']);
      await t.waitFor((s) => s.includes('Vote tally'));
      t.signal(signal);
      const screen = await t.waitFor((s) => s.includes('EXIT='));
      expect(screen).toContain('MAIN-SCREEN-MARKER');
      expect(screen).not.toContain('Vote tally');
      // Killed by the signal, as a well-behaved program is, after putting the terminal back.
      expect(screen).toMatch(/EXIT=(143|129)/);
    },
    30_000,
  );

  it('Ctrl+C quits like q', async () => {
    const t = start(100, 30, ['--offline', '--seed', '3']);
    await t.waitFor((s) => s.includes('Vote tally'));
    await keymapReady(t);
    t.keys('C-c');
    const screen = await t.waitFor((s) => s.includes('EXIT='));
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('MAIN-SCREEN-MARKER');
  }, 30_000);
});

/** A headless chaos bft run of `rounds` recorded to a file; its path. */
function recordChaos(rounds: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'htui-')), 'run.jsonl');
  const args = ['--json', '--offline', '--protocol', 'bft', '--scenario', 'chaos'];
  const recorded = spawnSync(
    process.execPath,
    [BIN, ...args, '--rounds', String(rounds), '--seed', '5', '--record', file],
    { env: cleanEnv(), stdio: 'ignore' },
  );
  expect(recorded.status).toBe(0);
  return file;
}

const header = (screen: string) => screen.split('\n')[0] ?? '';
const roundShown = (screen: string) => Number(/ round (\d+)/.exec(header(screen))?.[1] ?? NaN);

describe('a replay in the dashboard', () => {
  it('a rewind replays from the start, checked again: an altered decision past it is reported', async () => {
    const file = recordChaos(10);
    const events = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const altered = events.map((e) =>
      e['type'] === 'decision' && e['round'] === 9
        ? { ...e, node_id: e['node_id'] === 'n1' ? 'n2' : 'n1' }
        : e,
    );
    writeFileSync(file, altered.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const t = start(120, 40, ['--replay', file, '--speed', '4']);
    await t.waitFor((s) => s.includes('Vote tally'));
    await keymapReady(t);
    await t.waitFor((s) => roundShown(s) >= 3);
    t.keys('Space');
    let screen = await t.waitFor((s) => s.includes('PAUSED'));
    // Still short of round 9: this run has not met the altered decision.
    expect(roundShown(screen)).toBeLessThan(9);
    expect(screen).not.toContain('MISMATCH');
    t.keys('[');
    await t.waitFor((s) => s.includes('(viewing'));
    t.keys('u');
    screen = await t.waitFor((s) => !s.includes('(viewing') && s.includes('PAUSED'));
    expect(roundShown(screen)).toBeLessThan(9);
    // On at full speed: the rebuilt run reaches round 9, and its check sees the change.
    t.keys(...Array.from({ length: 8 }, () => '+'), 'Space');
    screen = await t.waitFor((s) => s.includes('STOPPED') || s.includes('MISMATCH'));
    expect(header(screen)).toContain('REPLAY MISMATCH at round 9: recording altered');
  }, 30_000);

  it("a dashboard recording made through the tour's auto-pauses replays, decision for decision", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'htui-')), 'tour.jsonl');
    const t = start(120, 40, ['--offline', '--seed', '3', '--speed', '16', '--record', file]);
    await t.waitFor((s) => s.includes('auto-paused at section 2/'), 20_000);
    await keymapReady(t);
    t.keys('Space');
    await t.waitFor((s) => s.includes('auto-paused at UNSAFE'), 20_000);
    t.keys('q');
    expect(await t.waitFor((s) => s.includes('EXIT='))).toContain('EXIT=0');
    // The pauses came from listeners while events were handled: they must not have moved the
    // simulated clock, or the replay's decisions would differ from the recorded ones.
    const replay = spawnSync(process.execPath, [BIN, '--json', '--replay', file], {
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    expect(replay.stdout).toContain('"unsafe":true');
  }, 60_000);

  it('quit before its end is no mismatch: exit 0, nothing said of the recording', async () => {
    const file = recordChaos(30);
    const t = start(120, 40, ['--replay', file]);
    await t.waitFor((s) => s.includes('Vote tally') && s.includes('replay'));
    await keymapReady(t);
    t.keys('q');
    const screen = await t.waitFor((s) => s.includes('EXIT='));
    expect(screen).toContain('EXIT=0');
    expect(screen).not.toContain('does not match');
  }, 30_000);
});

describe('no keyboard', () => {
  it('tells the story as text when stdin is not a terminal, rather than failing', async () => {
    const t = start(100, 30, [
      '--offline',
      '--seed',
      '3',
      '--scenario',
      'healthy',
      '<',
      '/dev/null',
    ]);
    const screen = await t.waitFor((s) => s.includes('EXIT='));
    expect(screen).toContain('EXIT=0');
    expect(screen).toMatch(/byzantine detection/);
    expect(screen).not.toMatch(/Raw mode|Error/);
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
    await keymapReady(t);
    t.keys('q');
    expect(await t.waitFor((s) => s.includes('EXIT='))).toContain('EXIT=0');
  }, 30_000);

  it('follows a live resize: full, compact, too small, and back', async () => {
    const t = start(120, 40, ['--offline', '--seed', '3']);
    await t.waitFor((s) => s.includes('Vote tally') && s.includes('│'));
    t.resize(60, 15);
    let screen = await t.waitFor((s) => s.includes('Epsilon-Network') && !s.includes('│'));
    expect(screen.split('\n').every((l) => l.length <= 60)).toBe(true);
    t.resize(30, 8);
    await t.waitFor((s) => s.includes('too small (30x8)'));
    t.resize(120, 40);
    screen = await t.waitFor((s) => s.includes('Vote tally') && s.includes('│'));
    expect(screen).not.toContain('too small');
    await keymapReady(t);
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
