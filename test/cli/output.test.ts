// Nothing lost, nothing overwritten: stdout and --record write errors, a recording that would
// replace a file, signals, and a reader that goes away while a model call is in flight.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Recorder } from '../../src/runtime/recorder.js';
import type { HybridEvent } from '../../src/core/events.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';
import { BIN, cleanEnv, jsonLines, runCli, runCliAsync, tempDir } from './helpers.js';

const hasDevFull = (() => {
  try {
    closeSync(openSync('/dev/full', 'w'));
    return true;
  } catch {
    return false;
  }
})();

/** Runs the CLI with stdout going to `file`. */
function runToFile(args: string[], file: string) {
  const fd = openSync(file, 'w');
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      env: cleanEnv(),
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
    });
    return { code: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

function oneLineError(r: { code: number | null; stderr: string }, code: number, text: RegExp) {
  expect(r.code).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^hybrid-tui: /);
  expect(lines[0]).toMatch(text);
}

describe.runIf(hasDevFull)('write errors on a full device', () => {
  it('--json > /dev/full: one line naming the error, exit 1', () => {
    oneLineError(
      runToFile(['--json', '--offline', '--seed', '3'], '/dev/full'),
      1,
      /cannot write to stdout \(ENOSPC\)/,
    );
  });

  it('the narrative > /dev/full: one line, exit 1', () => {
    oneLineError(
      runToFile(['--headless', '--offline', '--seed', '3'], '/dev/full'),
      1,
      /cannot write to stdout \(ENOSPC\)/,
    );
  });

  it('--record /dev/full --force: the run stops with one line and exit 1, no stack trace', () => {
    const r = runCli(['--json', '--offline', '--seed', '3', '--record', '/dev/full', '--force']);
    oneLineError(r, 1, /--record: cannot write \/dev\/full \(ENOSPC\)/);
    // Stopped at once: the tour has six rounds, and the run did not go on to finish them.
    expect(jsonLines(r.stdout).filter((e) => e['type'] === 'round_start').length).toBeLessThan(2);
  });
});

describe('--record never overwrites', () => {
  it('refuses an existing file with exit 2 and leaves it untouched', () => {
    const file = join(tempDir(), 'keep.jsonl');
    writeFileSync(file, 'precious\n');
    const r = runCli(['--json', '--offline', '--record', file]);
    oneLineError(r, 2, /--record: .*keep\.jsonl exists; pass --force to replace it/);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
  });

  it('refuses to record over the scenario file being run, even with --force', () => {
    const file = join(tempDir(), 'my.json');
    const text = readFileSync(join(import.meta.dirname, '../../examples/custom-scenario.json'));
    writeFileSync(file, text);
    const r = runCli(['--json', '--offline', '--scenario', file, '--record', file, '--force']);
    oneLineError(r, 2, /is the file being run from/);
    expect(readFileSync(file)).toEqual(text);
  });

  it('with --force replaces the file and makes it 0600 like a new one', () => {
    const file = join(tempDir(), 'old.jsonl');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o644);
    const r = runCli(['--json', '--offline', '--seed', '1', '--record', file, '--force']);
    expect(r.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"type":"run_start"/);
  });

  it('creates a new file 0600', () => {
    const file = join(tempDir(), 'new.jsonl');
    expect(runCli(['--json', '--offline', '--seed', '1', '--record', file]).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('a recording that fails part-way', () => {
  it('is cut back to its last whole line and reports the error once', () => {
    const file = join(tempDir(), 'cut.jsonl');
    let budget = 700; // bytes the "disk" takes before it is full
    const errors: string[] = [];
    const rec = new Recorder(file, {
      writeSync: (fd, buf, off) => {
        if (budget <= 0) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
        const n = Math.min(budget, buf.length - off);
        budget -= n;
        // A short write: the first part of the line reaches the file.
        return writeSync(fd, buf, off, n);
      },
      onError: (err) => errors.push(err.code ?? ''),
    });
    const event = (i: number) =>
      ({ type: 'wait', t: i, what: 'recovery', outcome: 'started', waited_ms: i }) as HybridEvent;
    for (let i = 0; i < 20; i++) rec.write(event(i));
    rec.close();
    expect(errors).toEqual(['ENOSPC']);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});

describe('signals, headless', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s: the run says it was interrupted and exits %i',
    async (signal, code) => {
      const { child, done } = runCliAsync([
        '--headless',
        '--offline',
        '--scenario',
        'chaos',
        '--rounds',
        '10000000',
      ]);
      await new Promise<void>((resolve) => {
        let seen = 0;
        child.stdout.on('data', (d: Buffer) => {
          seen += d.length;
          if (seen > 100_000) resolve();
        });
      });
      child.kill(signal);
      const r = await done;
      expect(r.code).toBe(code);
      expect(r.stdout).toContain(`RUN INTERRUPTED by ${signal}`);
      expect(r.stdout).toContain('SUMMARY (measured in this run)');
      expect(r.stderr.trim()).toMatch(
        new RegExp(`^hybrid-tui: interrupted by ${signal} after \\d+ rounds$`),
      );
    },
    30_000,
  );
});

describe('a reader that goes away while a call is in flight', () => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await FakeOpenAiServer.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it('--json | head -1 exits promptly, not when the call times out', async () => {
    server.setHandler(() => ({ reply: { kind: 'stall' } }));
    const child = spawn(
      process.execPath,
      [BIN, '--json', '--base-url', server.baseUrl, '--model', 'm', '--timeout', '60'],
      { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Like head -1: read the first batch, and close the pipe at once.
    let started = 0;
    await new Promise<void>((resolve) =>
      child.stdout.once('data', () => {
        child.stdout.destroy();
        started = performance.now();
        resolve();
      }),
    );
    const code = await exited;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(code).toBe(0);
    // The stalled calls were cancelled, not left to the server.
    await server.waitFor(() => server.inFlight === 0);
  }, 30_000);
});
