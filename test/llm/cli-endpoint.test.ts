// The built binary against endpoints as a user meets them: one that is down, and one that echoes
// the API key back in its errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, jsonLines, runCliAsync, tempDir } from '../cli/helpers.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';

const KEY = 'sk-test-DO-NOT-LEAK-7f3a9c1e5b';
let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await FakeOpenAiServer.start({ latencyMs: 5, tokenDelayMs: 0 });
});
afterAll(async () => {
  await server.close();
});

describe('an endpoint that is down', () => {
  it('still completes the whole tour on fallback, within the timeouts, and says so', async () => {
    const gone = await FakeOpenAiServer.start();
    const url = gone.baseUrl;
    await gone.close();
    const { done } = runCliAsync([
      '--headless',
      '--base-url',
      url,
      '--model',
      'm',
      '--timeout',
      '1',
      '--seed',
      '2',
    ]);
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FALLBACK (offline heuristic)');
    expect(r.stdout).toMatch(/model answer not used: .*(connect|ECONNREFUSED|connection)/i);
    expect(r.stdout).toMatch(/calls: 0 llm, \d+ fallback, 0 offline/);
    expect(r.stdout).toContain('SCENARIO 5/7: POST-RECOVERY ROUND');
    expect(r.stdout).toMatch(/CONSENSUS ACHIEVED!\n\s+Decision: n[12]\n/);
  }, 60_000);
});

describe('the API key', () => {
  it('appears nowhere in stdout, stderr or the recording, even when the server echoes it', async () => {
    server.reset();
    server.setHandler((req) =>
      req.index % 3 === 0
        ? { reply: { kind: 'status', status: 401, message: `Incorrect API key provided: ${KEY}` } }
        : undefined,
    );
    const rec = join(tempDir(), 'run.jsonl');
    const env = cleanEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseUrl });
    const json = runCliAsync(
      ['--json', '--model', 'fake-model', '--scenario', 'healthy', '--seed', '1', '--record', rec],
      env,
    );
    const narrative = runCliAsync(
      ['--headless', '--model', 'fake-model', '--scenario', 'attack', '--seed', '1'],
      env,
    );
    const [a, b] = [await json.done, await narrative.done];
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const events = jsonLines(a.stdout);
    expect(events.some((e) => e['type'] === 'llm_response' && e['source'] === 'llm')).toBe(true);
    expect(events.some((e) => e['type'] === 'llm_response' && e['source'] === 'fallback')).toBe(
      true,
    );
    // The server did receive the key, so it was really in play.
    expect(server.chatRequests().some((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    for (const text of [a.stdout, a.stderr, b.stdout, b.stderr, readFileSync(rec, 'utf8')]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(KEY.slice(3, 20));
    }
  }, 60_000);
});
