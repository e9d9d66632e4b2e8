// The dashboard's story in a real terminal: who voted what, why, the timeline and rewind, the
// help at 80x24, a read-only replay and the report on quitting. The tour's attack under classic
// is scripted: the byzantine Beta-Memory proposes the fake n999 and accepts it, and classic
// commits it (UNSAFE) in rounds 2 and 3 whatever the seed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionStarter } from './tmux.js';

const start = sessionStarter();

const flat = (screen: string) => screen.replace(/\s+/g, ' ');
const rowOf = (screen: string, name: string) =>
  screen.split('\n').find((l) => l.includes(name) && /accept|reject|absent/.test(l)) ?? '';
const fits = (screen: string, cols: number) =>
  screen.split('\n').every((line) => [...line].length <= cols);

describe.each([
  [80, 24],
  [120, 40],
])('the story at %ix%i', (cols, rows) => {
  it('names the corrupted vote, explains the round, revisits it and rewinds to the same decision', async () => {
    const t = start(cols, rows, ['--offline', '--seed', '1', '--speed', '4']);
    // The tour pauses itself at each new section and on an UNSAFE commit, saying why.
    await t.waitFor((s) => s.includes('auto-paused at section 2/7'), 20_000);
    t.keys('Space');
    let screen = await t.waitFor(
      (s) => s.includes('auto-paused at UNSAFE commit of n999 in round 2'),
      30_000,
    );
    // The byzantine agent's vote, by name, with what the fault did to it.
    expect(rowOf(screen, 'Beta-Memory')).toMatch(
      /Beta-Memory.*n999\s+accept\s+corrupted: forced accept/,
    );
    expect(rowOf(screen, 'Alpha-GPU')).toMatch(/Alpha-GPU.*n3\s+accept/);
    expect(rowOf(screen, 'Delta-Storage')).toMatch(/Delta-Storage.*absent/);
    expect(screen).toContain('✗ UNSAFE commit n999');
    t.keys('Space');
    screen = await t.waitFor(
      (s) => s.includes('auto-paused at UNSAFE commit of n999 in round 3'),
      30_000,
    );
    expect(screen).toMatch(/Rounds 1✓n1 2✗n999 3✗n999/);

    // Back to round 2 on the timeline: its tally as it was.
    t.keys('[', '[');
    screen = await t.waitFor((s) => s.includes('Vote tally r2'));
    expect(rowOf(screen, 'Beta-Memory')).toMatch(/n999\s+accept\s+corrupted/);
    expect(screen).toContain('Log round 2');
    expect(fits(screen, cols)).toBe(true);

    // Why, in full: the quorum arithmetic is not cut.
    t.keys('w');
    // The overlay (at 120x40 the why pane beside the tally also says "Why round 2").
    screen = await t.waitFor((s) => s.includes('Why round 2') && s.includes('Esc closes'));
    expect(flat(screen)).toContain(
      'Quorum: classic commits when accept is at least 2/3 x 5.5 = 3.67. accept 4.5 of 5.5: 4.5 >= 3.67 is true: quorum reached.',
    );
    expect(flat(screen)).toContain('Beta-Memory corrupted: forced accept (model said accept too)');
    // Below the header nothing is cut; the header cuts its section, if need be, to keep saying
    // which round is shown, and that the run is offline.
    const [header = '', ...below] = screen.split('\n');
    expect(below.join('\n')).not.toContain('…');
    expect(header).toMatch(/\(v(iewing )?2\).* offline /);
    t.keys('Escape');
    await t.waitFor((s) => s.includes('Vote tally r2') && !s.includes('Esc closes'));

    // Rewind to round 2's start (the run was paused, so it waits there), then run it again.
    t.keys('u');
    screen = await t.waitFor((s) => s.includes('Rounds 1✓n1') && !s.includes('2✗'), 20_000);
    screen = await t.waitFor((s) => s.includes('rewound to the start of round 2 · space runs on'));
    expect(screen).not.toContain('rewinding');
    t.keys('Space');
    screen = await t.waitFor(
      (s) => s.includes('auto-paused at UNSAFE commit of n999 in round 2'),
      30_000,
    );
    expect(screen).toContain('✗ UNSAFE commit n999');
    expect(rowOf(screen, 'Beta-Memory')).toMatch(/n999\s+accept\s+corrupted/);

    t.keys('q');
    screen = await t.waitFor((s) => s.includes('EXIT='));
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('hybrid-tui: run summary');
    expect(screen).toMatch(/seed 1 {2}scenario tour {2}rounds \d+/);
    expect(flat(screen)).toContain('run it again: hybrid-tui --offline --speed 4 --seed 1');
  }, 120_000);
});

describe('the fork lesson at 120x40', () => {
  it('pauses on the FORK with the vote matrix: the equivocator and the split commits', async () => {
    const t = start(120, 40, ['--offline', '--seed', '1', '--speed', '16']);
    let screen = '';
    // Run on through the tour's other pauses (sections, UNSAFE) until the FORK.
    for (let i = 0; i < 20 && !screen.includes('FORK in round'); i++) {
      screen = await t.waitFor((s) => /auto-paused at/.test(s), 60_000);
      if (!screen.includes('FORK in round')) {
        const notice = /auto-paused at [^·]*/.exec(screen)?.[0] ?? 'auto-paused at';
        t.keys('Space');
        // The key clears this notice (the next pause may follow at once with another).
        await t.waitFor((s) => !s.includes(notice), 20_000);
      }
    }
    expect(screen).toContain('FORK in round');
    expect(screen).toMatch(/got from\s+Alpha\s+Beta\s+Gamma\s+Delta\s+Epsilon\s+lock\s+commit/);
    expect(screen).toMatch(/FORK: replicas committed n\d+ and n\d+/);
    expect(screen).toContain('≠ FORK honest replicas committed different nodes');
    expect(screen).toMatch(/Rounds .*\d+≠n\d+/);
    t.keys('q');
    expect(await t.waitFor((s) => s.includes('EXIT='))).toContain('EXIT=0');
  }, 180_000);
});

describe('help at 80x24', () => {
  it('scrolls to its last line', async () => {
    const t = start(80, 24, ['--offline', '--seed', '1']);
    await t.waitFor((s) => s.includes('Vote tally'));
    t.keys('?');
    let screen = await t.waitFor((s) => s.includes('Help') && s.includes('j/k PgUp/PgDn scroll'));
    expect(screen).not.toContain('(end)');
    for (let i = 0; i < 8 && !screen.includes('(end)'); i++) {
      t.keys('NPage');
      screen = await t.waitFor((s) => s !== screen || s.includes('(end)'));
    }
    expect(screen).toContain('(end)');
    expect(flat(screen)).toContain('what the model said.');
    expect(fits(screen, 80)).toBe(true);
    // And back up with k.
    t.keys('k');
    await t.waitFor((s) => !s.includes('(end)'));
    t.keys('q');
    expect(await t.waitFor((s) => s.includes('EXIT='))).toContain('EXIT=0');
  }, 60_000);
});

describe('replay', () => {
  it('is read-only: c is refused, and the end of the recording is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'htui-replay-'));
    const file = join(dir, 'healthy.jsonl');
    execFileSync(process.execPath, [
      join(import.meta.dirname, '../../dist/src/cli/main.js'),
      '--offline',
      '--seed',
      '1',
      '--scenario',
      'healthy',
      '--record',
      file,
    ]);
    const t = start(80, 24, ['--replay', file, '--speed', 'max']);
    // At max speed the three rounds are over at once: the dashboard says the recording ended.
    await t.waitFor((s) => s.includes('end of recording: it ends after round 3'), 30_000);
    t.keys('c');
    const screen = await t.waitFor((s) => s.includes('replay is read-only: c (crash) refused'));
    expect(screen).not.toMatch(/✖ Alpha-GPU/);
    expect(screen).toContain('Rounds 1✓n1 2✓n3 3✓n1');
    t.keys('q');
    expect(await t.waitFor((s) => s.includes('EXIT='))).toContain(
      `replay it again: hybrid-tui --replay ${file}`,
    );
  }, 60_000);
});
