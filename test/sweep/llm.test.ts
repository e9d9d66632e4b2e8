// A sweep against a model endpoint (a real local OpenAI-compatible server): the runs call the
// model, never more than --concurrency calls at once, and the model figures fill in.
import { readFileSync } from 'node:fs';
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
    expect(calls).toBe(server.chatRequests().length);
  });
});
