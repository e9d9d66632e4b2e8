// Replays that can be trusted: the format checked line by line, decisions recomputed and
// compared, the replay ending where the recording does, and recordings read as a stream.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCoreConfig } from '../../src/core/config.js';
import type { HybridEvent } from '../../src/core/events.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import { Recorder } from '../../src/runtime/recorder.js';
import { createRuntime } from '../../src/runtime/run-offline.js';
import { configFromRecording, loadRecording, ReplayCalls } from '../../src/runtime/replay.js';
import { BIN, cleanEnv, jsonLines, runCli, tempDir } from './helpers.js';

type Ev = Record<string, unknown> & { type: string };

function record(args: string[] = []): { file: string; events: Ev[] } {
  const file = join(tempDir(), 'run.jsonl');
  const r = runCli(['--json', '--offline', '--seed', '7', '--record', file, ...args]);
  expect(r.code).toBe(0);
  return { file, events: jsonLines(readFileSync(file, 'utf8')) as Ev[] };
}

function rewrite(events: Ev[], change: (e: Ev, i: number) => Ev | null): string {
  const file = join(tempDir(), 'changed.jsonl');
  const out = events.map(change).filter((e): e is Ev => e !== null);
  writeFileSync(file, out.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

function expectOneLine(
  r: { code: number | null; stderr: string },
  code: number,
  text: RegExp,
): void {
  expect(r.code).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(text);
}

/** A run as the dashboard records it: free play after the scenario, then the user quits. */
async function dashboardRecording(rounds: number): Promise<string> {
  const file = join(tempDir(), 'dashboard.jsonl');
  const cfg = makeCoreConfig({ seed: 4, scenario: BUILTIN_SCENARIOS['healthy']!, freePlay: true });
  const runtime = createRuntime(cfg);
  const recorder = new Recorder(file);
  runtime.onEvent((e) => {
    recorder.write(e);
    if (e.type === 'decision' && e.round === rounds) runtime.stop();
  });
  await runtime.start();
  recorder.close();
  return file;
}

describe('replay ends where the recording ends', () => {
  it('a dashboard recording (free play) replays its rounds and stops, inventing none', async () => {
    const file = await dashboardRecording(25);
    const recorded = jsonLines(readFileSync(file, 'utf8')) as Ev[];
    const r = spawnSync(process.execPath, [BIN, '--json', '--replay', file], {
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    const replayed = jsonLines(r.stdout) as Ev[];
    const decisions = (es: Ev[]) => es.filter((e) => e.type === 'decision');
    expect(decisions(replayed)).toHaveLength(25);
    expect(decisions(replayed)).toEqual(decisions(recorded));
    expect(replayed.filter((e) => e.type === 'round_start')).toHaveLength(25);
  });

  it('a dashboard recording ends at its bound, which is its end: a decision past it is reported', async () => {
    const file = await dashboardRecording(5);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const last = (jsonLines(lines.join('\n')) as Ev[]).filter((e) => e.type === 'decision').pop();
    lines.splice(lines.length - 1, 0, JSON.stringify({ ...last, round: 6 }));
    writeFileSync(file, lines.join('\n') + '\n');
    expectOneLine(
      runCli(['--json', '--replay', file]),
      1,
      /the recording has 6 decisions, the replay reached 5/,
    );
  });
});

describe('a replay cut short', () => {
  it('by a reader that went away (| head) is no mismatch: exit 0, nothing said', async () => {
    // Long enough that the replay is still writing when the reader leaves.
    const { file } = record(['--protocol', 'bft', '--scenario', 'chaos', '--rounds', '300']);
    const child = spawn(process.execPath, [BIN, '--json', '--replay', file], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let lines = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Like head -1: the first batch, then the pipe closed.
    child.stdout.once('data', (d: Buffer) => {
      lines = d.toString().split('\n').length;
      child.stdout.destroy();
    });
    expect(await exited).toBe(0);
    expect(lines).toBeLessThan(jsonLines(readFileSync(file, 'utf8')).length);
    expect(stderr).toBe('');
  }, 30_000);
  it('by stop() has not run to its end; one that ends by itself has', async () => {
    const cfg = makeCoreConfig({ seed: 2, scenario: BUILTIN_SCENARIOS['healthy']!, maxRounds: 3 });
    const whole = createRuntime(cfg);
    await whole.start();
    expect(whole.ranToEnd()).toBe(true);
    const cut = createRuntime(cfg);
    cut.onEvent((e) => {
      if (e.type === 'decision' && e.round === 1) cut.stop();
    });
    await cut.start();
    expect(cut.ranToEnd()).toBe(false);
  });
});

describe('a recording cut short (no summary)', () => {
  it('replays to its last moment: what that moment lacks after the cut is no mismatch', () => {
    const { events } = record(['--protocol', 'bft', '--scenario', 'chaos', '--rounds', '10']);
    // Cut just after the first line of a moment that also holds a decision: the decision is lost.
    const d = events.findIndex((e, i) => i > 0 && e.type === 'decision');
    const at = events.findIndex((e) => e['t'] === events[d]?.['t']);
    expect(at).toBeLessThan(d);
    const cut = rewrite(events, (e, i) => (i <= at ? e : null));
    const r = runCli(['--json', '--replay', cut]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // What the recording has is still checked: an altered decision before the cut is reported.
    const later = events.findIndex((e, i) => i > d && e.type === 'decision');
    const laterAt = events.findIndex((e) => e['t'] === events[later]?.['t']);
    const altered = rewrite(events, (e, i) =>
      i > laterAt ? null : i === d ? { ...e, node_id: 'n6', valid: false } : e,
    );
    expectOneLine(runCli(['--json', '--replay', altered]), 1, /does not match the recording/);
  });
});

describe('a tampered recording', () => {
  it('is reported when a recorded decision differs from the recomputed one: exit 1', () => {
    const { file, events } = record();
    const changed = rewrite(events, (e) =>
      e.type === 'decision' && e['round'] === 2 ? { ...e, node_id: 'n5', valid: true } : e,
    );
    expectOneLine(
      runCli(['--json', '--replay', changed]),
      1,
      /the replay does not match the recording \(round 2: recorded committed n5 .*, replayed .*\): it was altered/,
    );
    expect(runCli(['--json', '--replay', file]).code).toBe(0);
  });

  it('names the field when only a field the outcome does not show differs', () => {
    const { events } = record();
    const changed = rewrite(events, (e) =>
      e.type === 'decision' && e['round'] === 2 ? { ...e, t: Number(e['t']) + 7 } : e,
    );
    expectOneLine(
      runCli(['--json', '--replay', changed]),
      1,
      /\(round 2: both committed \S+ at [\d.]+\/[\d.]+, but t recorded (\d+), replayed \d+\): it was altered/,
    );
  });

  it('is reported when a recorded decision was removed', () => {
    const { events } = record();
    let dropped = false;
    const changed = rewrite(events, (e) => {
      if (e.type === 'decision' && e['round'] === 3 && !dropped) {
        dropped = true;
        return null;
      }
      return e;
    });
    expectOneLine(runCli(['--json', '--replay', changed]), 1, /round 3: recorded .*, replayed/);
  });

  it('is reported when it has a decision the replay, run to its end, never reaches', () => {
    const { events } = record();
    const decisions = events.filter((e) => e.type === 'decision');
    const last = decisions[decisions.length - 1] as Ev;
    const changed = rewrite(events, (e) => e);
    const lines = readFileSync(changed, 'utf8').trimEnd().split('\n');
    // One more decision just before the summary, as if a round had been added to the file.
    lines.splice(
      lines.length - 1,
      0,
      JSON.stringify({ ...last, round: Number(last['round']) + 1 }),
    );
    writeFileSync(changed, lines.join('\n') + '\n');
    expectOneLine(
      runCli(['--json', '--replay', changed]),
      1,
      new RegExp(
        `the recording has ${decisions.length + 1} decisions, the replay reached ${decisions.length}`,
      ),
    );
  });
});

describe('the recording format is checked, one line naming the line and field (exit 2)', () => {
  const { events } = record();
  const withStart = (change: (config: Record<string, unknown>, e: Ev) => void) =>
    rewrite(events, (e) => {
      if (e.type !== 'run_start') return e;
      const copy = JSON.parse(JSON.stringify(e)) as Ev;
      change(copy['config'] as Record<string, unknown>, copy);
      return copy;
    });

  it.each([
    [
      'no config.timing',
      (c: Record<string, unknown>) => delete c['timing'],
      /line 1: run_start config\.timing: /,
    ],
    [
      'a negative weight',
      (_c: Record<string, unknown>, e: Ev) =>
        ((e['agents'] as { weight: number }[])[1]!.weight = -16),
      /line 1: run_start agents\[1\]\.weight: /,
    ],
    [
      'protocol raft',
      (_c: Record<string, unknown>, e: Ev) => (e['protocol'] = 'raft'),
      /line 1: run_start protocol: /,
    ],
    [
      'seed "abc"',
      (_c: Record<string, unknown>, e: Ev) => (e['seed'] = 'abc'),
      /line 1: run_start seed: /,
    ],
    [
      'a number for a name',
      (_c: Record<string, unknown>, e: Ev) => ((e['agents'] as { name: unknown }[])[0]!.name = 42),
      /line 1: run_start agents\[0\]\.name: /,
    ],
    [
      'thinkMin above thinkMax',
      (c: Record<string, unknown>) => ((c['timing'] as { thinkMinMs: number }).thinkMinMs = 1e9),
      /thinkMinMs is above thinkMaxMs/,
    ],
  ])('%s', (_name, change, text) => {
    expectOneLine(runCli(['--json', '--replay', withStart(change)]), 2, text);
  });

  it('a response with a number for its text names its line', () => {
    let line = 0;
    const file = rewrite(events, (e, i) => {
      if (e.type === 'llm_response' && line === 0) {
        line = i + 1;
        return { ...e, raw: 7 };
      }
      return e;
    });
    expectOneLine(
      runCli(['--json', '--replay', file]),
      2,
      new RegExp(`line ${line}: llm_response raw: `),
    );
  });

  it('lets unknown event types and extra fields through (newer recordings)', () => {
    const file = rewrite(events, (e) =>
      e.type === 'run_start'
        ? { ...e, config: { ...(e['config'] as object), adversary: 'equivocate' }, extra: 1 }
        : e.type === 'round_start'
          ? { ...e, height: 3 }
          : e,
    );
    const text = readFileSync(file, 'utf8').replace(
      /\n/,
      '\n{"type":"prevote","t":0,"round":1,"agent":"alpha","value":"n1"}\n',
    );
    writeFileSync(file, text);
    expect(runCli(['--json', '--replay', file]).code).toBe(0);
  });

  it('refuses a newer recording version', () => {
    expectOneLine(
      runCli(['--json', '--replay', withStart((_c, e) => (e['recording_version'] = 99))]),
      2,
      /recording version 99 is newer than this hybrid-tui reads \(1\)/,
    );
  });
});

describe('large recordings', () => {
  it('are read as a stream: a few answers ahead, never the whole file', async () => {
    const { file, events } = record(['--scenario', 'chaos', '--rounds', '200']);
    const limits = { maxBytes: 1e9, maxLineBytes: 1e6, chunkBytes: 16 * 1024 };
    const rec = loadRecording(file, limits);
    expect(rec.decisions).toHaveLength(200);
    const calls = new ReplayCalls(rec);
    const ahead = (calls as unknown as { ahead: Map<string, unknown> }).ahead;
    let most = 0;
    const runtime = createRuntime(configFromRecording(rec), { calls });
    const replayed: HybridEvent[] = [];
    runtime.onEvent((e) => {
      most = Math.max(most, ahead.size);
      if (e.type === 'decision') replayed.push(e);
    });
    await runtime.start();
    expect(JSON.parse(JSON.stringify(replayed))).toEqual(
      events.filter((e) => e.type === 'decision'),
    );
    // 200 rounds, about 2,000 calls, went by; only the answers of the phase in hand (and a slow
    // agent's late one) were ever held, and none is left over.
    expect(most).toBeLessThanOrEqual(40);
    expect(ahead.size).toBe(0);
  });

  it('are refused by size before anything is read, and a too-long line by its number', () => {
    const { file } = record();
    expect(() => loadRecording(file, { maxBytes: 1000, maxLineBytes: 1e6 })).toThrow(
      /recording is 0 MB, over the 0 MB limit/,
    );
    expect(() => loadRecording(file, { maxBytes: 1e9, maxLineBytes: 2000 })).toThrow(
      /line 1 is longer than 0 MB/,
    );
  });
});
