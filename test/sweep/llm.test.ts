// A sweep against a model endpoint (a real local OpenAI-compatible server): the runs call the
// model, never more than --concurrency calls at once, and the model figures fill in.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, tempDir } from '../cli/helpers.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await FakeOpenAiServer.start({ latencyMs: 5, tokenDelayMs: 0 });
});
afterAll(async () => {
  await server.close();
});

describe('sweep against an endpoint', () => {
  it('calls the model with at most --concurrency calls in flight and reports its figures', async () => {
    const out = join(tempDir(), 'llm');
    const { done } = runCliAsync([
      'sweep',
      '--protocol',
      'classic,bft',
      '--rounds',
      '2',
      '--seeds',
      '2',
      '--base-url',
      server.baseUrl,
      '--model',
      'm',
      '--concurrency',
      '2',
      '--out',
      out,
      '--quiet',
    ]);
    const r = await done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^sweep sweep: 2 cells, 4 runs of 2 rounds in \d+\.\d s against m, 2 at a time\n/,
    );
    expect(server.maxInFlight).toBe(2);
    const [header, ...rows] = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    const col = (name: string) => header!.split(',').indexOf(name);
    expect(rows).toHaveLength(4);
    let calls = 0;
    for (const row of rows) {
      const f = row.split(',');
      calls += Number(f[col('llm_calls')]);
      expect(Number(f[col('llm_latency_p50_ms')])).toBeGreaterThanOrEqual(0);
      expect(f[col('llm_latency_p50_ms')]).not.toBe('');
    }
    // The runs' calls, and the one the sweep made first to see the endpoint answer.
    expect(calls + 1).toBe(server.chatRequests().length);
  });

  it('a dead endpoint ends the sweep at once: one line, exit 2, nothing written', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const out = join(tempDir(), 'dead');
    const started = performance.now();
    const { done } = runCliAsync([
      'sweep',
      '--preset',
      'smoke',
      '--base-url',
      `http://127.0.0.1:${closed}/v1`,
      '--model',
      'm',
      '--out',
      out,
      '--quiet',
    ]);
    const r = await done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^hybrid-tui: sweep: m at http://127\\.0\\.0\\.1:${closed}/v1 gave no usable answer in 2 tries \\(connection (refused|failed).*\\): nothing was run`,
      ),
    );
    expect(existsSync(out)).toBe(false);
    // Two tries of a refused connection, not the minutes of every run falling back.
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
