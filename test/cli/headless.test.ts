// The headless tour as a user meets it: the narrative, JSON Lines, recordings and replays.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, runCliAsync, tempDir } from './helpers.js';

type Ev = Record<string, unknown> & { type: string };
const decisions = (events: Ev[]) => events.filter((e) => e.type === 'decision');

describe('headless tour, offline', () => {
  it('tells the story: healthy commit, unsafe classic, refusing bft, recovery, summary', () => {
    const r = runCli(['--headless', '--offline', '--speed', 'max', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OFFLINE: heuristic agents, no model is called');
    expect(r.stdout).toContain('SCENARIO 1/7: HEALTHY BASELINE');
    expect(r.stdout).toMatch(/System Health: \[█{20}\] 5\/5 \(100%\)/);
    expect(r.stdout).toContain('PROMPT:');
    expect(r.stdout).toContain('Consensus Analysis:');
    expect(r.stdout).toContain('Required threshold (2/3): 3.67');
    expect(r.stdout).toMatch(/CONSENSUS ACHIEVED!\n\s+Decision: n[12]\n/);
    expect(r.stdout).toContain('EVIDENCE against Beta-Memory');
    expect(r.stdout).toContain(
      '❌ UNSAFE: n999 is not in the cluster — classic committed it anyway',
    );
    expect(r.stdout).toMatch(/❌ FORK: honest replicas committed different nodes — n[34] \(/);
    // The quorum lesson says when the quorum drops to 1/2, and when it is restored.
    const quorum = r.stdout.indexOf('QUORUM → strictly more than 0.5 of the weight (scenario)');
    expect(quorum).toBeGreaterThan(r.stdout.indexOf('SCENARIO 6/7'));
    expect(quorum).toBeLessThan(r.stdout.indexOf('❌ FORK'));
    expect(r.stdout).toContain("QUORUM → the protocol's own rule");
    expect(r.stdout).toContain('JAILED: Beta-Memory (invalid proposal)');
    expect(r.stdout).toMatch(/forks: 1 {3}jailed: \d+/);
    expect(r.stdout).toMatch(/SUMMARY \(measured in this run\)/);
    expect(r.stdout).not.toContain('\x1b');
  });

  it('runs headless by itself when stdout is not a terminal, and ends with the scenario', () => {
    // No --headless: stdout here is a pipe. Free play belongs to the dashboard only.
    const r = runCli(['--offline', '--seed', '9']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('HYBRID LLM FAULT TOLERANCE DEMONSTRATION');
    expect(r.stdout).toMatch(/rounds: 14 {3}committed/);
  });

  it('prints JSON Lines with the contract fields, and the healthy round commits a GPU node', () => {
    const r = runCli(['--json', '--offline', '--seed', '11']);
    expect(r.code).toBe(0);
    const events = jsonLines(r.stdout) as Ev[];
    for (const e of events) expect(typeof e['t']).toBe('number');
    expect(events[0]?.type).toBe('run_start');
    expect(events.at(-1)?.type).toBe('summary');
    const first = decisions(events)[0];
    expect(first).toMatchObject({
      round: 1,
      protocol: 'classic',
      outcome: 'committed',
      valid: true,
      total_weight: 5.5,
      quorum: 3.67,
    });
    expect(['n1', 'n2']).toContain(first?.['node_id']);
    for (const d of decisions(events).filter((d) => d['protocol'] === 'bft'))
      expect(d['unsafe']).toBe(false);
    const summary = events.at(-1) as Ev;
    expect(summary['rounds']).toBe(14);
    expect(summary).toHaveProperty('latency_ms.p50');
    expect(summary).toHaveProperty('detection.precision');
  });

  it('runs the whole tour at --speed max well under a second of wall time', () => {
    const started = process.hrtime.bigint();
    const r = runCli(['--headless', '--offline', '--speed', 'max', '--seed', '5']);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(r.code).toBe(0);
    // Generous: process start-up included; the run itself is a few milliseconds.
    expect(ms).toBeLessThan(5000);
  });

  it('runs --rounds N of the job mix and stops', () => {
    const r = runCli([
      '--json',
      '--offline',
      '--scenario',
      'healthy',
      '--rounds',
      '12',
      '--seed',
      '2',
    ]);
    const events = jsonLines(r.stdout) as Ev[];
    expect(events.filter((e) => e.type === 'round_start')).toHaveLength(12);
    expect(
      decisions(events).every((d) => d['outcome'] === 'committed' && d['valid'] === true),
    ).toBe(true);
  });

  it('accepts the example scenario file', () => {
    const r = runCli([
      '--json',
      '--offline',
      '--seed',
      '4',
      '--scenario',
      join(import.meta.dirname, '../../examples/custom-scenario.json'),
    ]);
    expect(r.code).toBe(0);
    const events = jsonLines(r.stdout) as Ev[];
    expect(events[0]).toMatchObject({
      type: 'run_start',
      scenario: 'gpu-under-siege',
      protocol: 'bft',
    });
    expect(decisions(events).some((d) => d['outcome'] === 'committed')).toBe(true);
    expect(decisions(events).every((d) => d['unsafe'] === false)).toBe(true);
  });

  it('records a run and replays it to the same decisions without any model', () => {
    const dir = tempDir();
    const rec = join(dir, 'run.jsonl');
    const original = runCli(['--json', '--offline', '--seed', '21', '--record', rec]);
    expect(original.code).toBe(0);
    const recorded = jsonLines(readFileSync(rec, 'utf8')) as Ev[];
    expect(recorded.some((e) => e.type === 'llm_delta')).toBe(false);
    const replay = runCli(['--json', '--replay', rec]);
    expect(replay.code).toBe(0);
    const replayed = jsonLines(replay.stdout) as Ev[];
    expect(replayed[0]).toMatchObject({ type: 'run_start', mode: 'replay', seed: 21 });
    expect(decisions(replayed)).toEqual(decisions(jsonLines(original.stdout) as Ev[]));
  });

  it('replays a bft run with its knobs (quorum, adversary, noise) byte for byte', () => {
    const rec = join(tempDir(), 'bft.jsonl');
    const args = ['--json', '--offline', '--protocol', 'bft', '--scenario', 'chaos'];
    const knobs = ['--quorum', '0.5', '--adversary', 'strategic', '--offline-noise', '0.4'];
    const original = runCli([...args, ...knobs, '--rounds', '12', '--seed', '5', '--record', rec]);
    expect(original.code).toBe(0);
    const replay = runCli(['--json', '--replay', rec]);
    expect(replay.code).toBe(0);
    const [start, ...rest] = replay.stdout.trim().split('\n');
    const [origStart, ...origRest] = original.stdout.trim().split('\n');
    expect(JSON.parse(start ?? '{}')).toMatchObject({
      mode: 'replay',
      config: { quorum: 0.5, adversary: 'strategic', offline_noise: 0.4 },
    });
    expect(JSON.parse(origStart ?? '{}')).toMatchObject({ mode: 'offline' });
    expect(rest.join('\n')).toBe(origRest.join('\n'));
    expect(rest.some((l) => l.includes('"type":"prevote"'))).toBe(true);
  });

  it("jails for --jail-heights heights, over a scenario file's jail_heights, and replays", () => {
    const dir = tempDir();
    const file = join(dir, 'jail.yaml');
    // Beta equivocates whenever it proposes: jailed at its first turn, released by the timer.
    writeFileSync(
      file,
      [
        'name: jail',
        'protocol: bft',
        'jail_heights: 3',
        'steps:',
        '  - {type: inject, agent: beta, fault: byzantine, duration_s: 1000, scripted: true}',
        '  - {type: rounds, count: 8}',
      ].join('\n'),
    );
    const base = ['--json', '--offline', '--seed', '1', '--scenario', file];
    /** The jail term recorded and served: jailed at height h, out for `term`, back the next. */
    const served = (stdout: string) => {
      const events = jsonLines(stdout) as (Ev & Record<string, unknown>)[];
      const jail = events.find((e) => e.type === 'jail');
      const [from, until] = [Number(jail?.['round']), Number(jail?.['until_height'])];
      const release = events.findIndex((e) => e.type === 'release' && e['by'] === 'timer');
      const heightOf = (at: number) =>
        Number(
          events
            .slice(0, at)
            .filter((e) => e.type === 'round_start')
            .at(-1)?.['round'],
        );
      const betaVoted = events
        .filter((e) => e.type === 'prevote' && e['agent'] === 'beta')
        .map((e) => Number(e['round']));
      return {
        recorded: (events[0]?.['config'] as { jail_heights: number }).jail_heights,
        term: until - from,
        sitsOut: betaVoted.every((h) => h <= from || h > until),
        releasedAt: heightOf(release) - until,
        votesAgain: betaVoted.includes(until + 1),
      };
    };
    const fromFile = runCli(base);
    const back = { sitsOut: true, releasedAt: 1, votesAgain: true };
    expect(served(fromFile.stdout)).toEqual({ recorded: 3, term: 3, ...back });
    const rec = join(dir, 'jail.jsonl');
    const fromFlag = runCli([...base, '--jail-heights', '1', '--record', rec]);
    expect(served(fromFlag.stdout)).toEqual({ recorded: 1, term: 1, ...back });
    const replay = runCli(['--json', '--replay', rec]);
    expect(replay.code).toBe(0);
    expect(replay.stdout.split('\n').slice(1)).toEqual(fromFlag.stdout.split('\n').slice(1));
  });

  it('replays a recording that was cut short mid-line', () => {
    const dir = tempDir();
    const rec = join(dir, 'run.jsonl');
    runCli(['--json', '--offline', '--seed', '8', '--record', rec]);
    const text = readFileSync(rec, 'utf8');
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    const replay = runCli(['--json', '--replay', cut]);
    expect(replay.code).toBe(0);
  });

  it('keeps a recording valid JSON Lines up to its last line when killed mid-run', async () => {
    const rec = join(tempDir(), 'killed.jsonl');
    const { child, done } = runCliAsync([
      '--json',
      '--offline',
      '--scenario',
      'chaos',
      '--rounds',
      '1000000',
      '--record',
      rec,
    ]);
    // Wait until the run is well under way (events on stdout), then kill it without warning.
    await new Promise<void>((resolve) => {
      let seen = 0;
      child.stdout.on('data', (d: Buffer) => {
        seen += d.length;
        if (seen > 200_000) resolve();
      });
    });
    child.kill('SIGKILL');
    await done;
    const lines = readFileSync(rec, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const events = lines.slice(0, -1).map((l) => JSON.parse(l) as Ev);
    expect(events.length).toBeGreaterThan(100);
    expect(events[0]?.type).toBe('run_start');
  });
});
