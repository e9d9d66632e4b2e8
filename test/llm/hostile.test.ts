// The real client against a hostile local server: an endless SSE line, a drip of keep-alives
// that never becomes an answer, the key echoed in the stream, a JSON error with status 200 and
// a JSON answer to a stream request.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLlmClient } from '../../src/agents/llm-client.js';
import type { LlmResult } from '../../src/agents/llm-types.js';
import { promptText } from '../../src/agents/prompts.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';
import { SECRET, llmConfig, proposeRequest } from './fixtures.js';

let fake: FakeOpenAiServer;
beforeAll(async () => {
  fake = await FakeOpenAiServer.start();
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

async function ask(
  overrides: Parameters<typeof llmConfig>[1] = {},
  onDelta: (t: string) => void = () => {},
): Promise<LlmResult & { ms: number }> {
  const client = createLlmClient(llmConfig(fake.baseUrl, overrides), { backoffBaseMs: 1 });
  const started = performance.now();
  const request = proposeRequest();
  const result = await client.ask(request, promptText(request), {
    callId: 'c1',
    signal: new AbortController().signal,
    onDelta,
  });
  return { ...result, ms: performance.now() - started };
}

describe('bounded reads', () => {
  it('an endless SSE line is cut at the line limit, and the error says so', async () => {
    fake.enqueue({ reply: { kind: 'endless-line' } });
    const r = await ask({ timeoutMs: 20_000, idleTimeoutMs: 10_000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/response too large: a stream line over 256 KB/);
    // Cut as soon as the limit is passed, long before any timeout.
    expect(r.ms).toBeLessThan(5_000);
    expect(r.attempts).toBe(1);
  });

  it('a body beyond the size limit is refused, naming the limit', async () => {
    fake.enqueue({ reply: { kind: 'text', text: 'y'.repeat(40_000) }, chunkChars: 1 });
    const client = createLlmClient(llmConfig(fake.baseUrl), {
      readLimits: { maxBodyBytes: 100_000 },
    });
    const request = proposeRequest();
    const r = await client.ask(request, promptText(request), {
      callId: 'c1',
      signal: new AbortController().signal,
      onDelta: () => {},
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/response too large: over 98 KB/);
  });

  it('a server that keeps sending but never answers is timed out at --timeout, and called so', async () => {
    fake.enqueue({ reply: { kind: 'drip', everyMs: 50 } });
    const r = await ask({ timeoutMs: 1_500, idleTimeoutMs: 500 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // Data kept arriving: not "stalled", which would be untrue (and would be retried).
    expect(r.error).toMatch(/^timed out after 1.5 s/);
    expect(r.ms).toBeGreaterThanOrEqual(1_400);
    expect(r.ms).toBeLessThan(2_500);
  });

  it('a server that sends nothing is called stalled', async () => {
    fake.enqueue(
      { reply: { kind: 'stall' } },
      { reply: { kind: 'stall' } },
      { reply: { kind: 'stall' } },
    );
    const r = await ask({ timeoutMs: 3_000, idleTimeoutMs: 300 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/stalled: no data for 0.3 s/);
  });
});

describe('answers in the wrong shape', () => {
  it('a JSON answer to a stream request is read, not taken for an empty response', async () => {
    fake.enqueue({ reply: { kind: 'non-streamed' } });
    const deltas: string[] = [];
    const r = await ask({}, (t) => deltas.push(t));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.answer).toMatchObject({ kind: 'proposal', nodeId: 'n1' });
    expect(deltas.join('')).toContain('"node_id":"n1"');
  });

  it('a JSON error with status 200 is reported with its message, not as an empty answer', async () => {
    fake.enqueue({ reply: { kind: 'json-error-200', message: 'model is overloaded, try later' } });
    const r = await ask();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain('model is overloaded, try later');
      expect(r.error).not.toMatch(/empty response/);
    }
  });
});

describe('a server echoing the key in the stream', () => {
  it('never shows the key, whole or in part, in any streamed text', async () => {
    fake.enqueue({
      reply: { kind: 'echo-key', before: '{"node_id": "n1", "reasoning": "key ', after: ' ok"}' },
      chunkChars: 3,
    });
    const deltas: string[] = [];
    const shown: string[] = [];
    const r = await ask({}, (t) => {
      deltas.push(t);
      shown.push(deltas.join(''));
    });
    expect(deltas.length).toBeGreaterThan(10);
    // The text on screen at every moment of the stream, as the log pane and Enter show it.
    for (const text of shown) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(SECRET.slice(0, 12));
    }
    expect(deltas.join('')).toContain('key *** ok');
    expect(r.raw).not.toContain(SECRET);
  });
});
