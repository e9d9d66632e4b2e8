// The real `openai` client against a real local HTTP server that misbehaves on cue.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LlmConfig } from '../../src/agents/config.js';
import { createLlmClient, type LlmClientOptions } from '../../src/agents/llm-client.js';
import type { LlmResult } from '../../src/agents/llm-types.js';
import { promptText } from '../../src/agents/prompts.js';
import type { AgentRequest } from '../../src/core/types.js';
import { FakeOpenAiServer, type FakeServerOptions } from '../support/fake-openai-server.js';
import { AGENTS, SECRET, llmConfig, proposeRequest, voteRequest } from './fixtures.js';

// Anything that could drive the terminal: ESC, CSI and BEL.
// eslint-disable-next-line no-control-regex
const ESC = /[\u001b\u009b\u0007]/;
const servers: FakeOpenAiServer[] = [];
const errors: string[] = [];
let fake: FakeOpenAiServer;

beforeAll(async () => {
  fake = await start();
});
afterEach(() => fake.reset());
afterAll(async () => {
  // Whatever failed in this file, the key never showed in an error.
  for (const e of errors) expect(e).not.toContain(SECRET);
  await Promise.all(servers.map((s) => s.close()));
});

async function start(options: FakeServerOptions = {}): Promise<FakeOpenAiServer> {
  const s = await FakeOpenAiServer.start(options);
  servers.push(s);
  return s;
}

interface Call {
  result: LlmResult;
  deltas: string[];
}

async function ask(
  config: LlmConfig,
  request: AgentRequest = proposeRequest(),
  options: LlmClientOptions & { signal?: AbortSignal; onDelta?: (t: string) => void } = {},
): Promise<Call> {
  const client = createLlmClient(config, { backoffBaseMs: 1, ...options });
  return askWith(client, request, options);
}

async function askWith(
  client: ReturnType<typeof createLlmClient>,
  request: AgentRequest = proposeRequest(),
  options: { signal?: AbortSignal; onDelta?: (t: string) => void } = {},
): Promise<Call> {
  const deltas: string[] = [];
  const result = await client.ask(request, promptText(request), {
    callId: 'c1',
    signal: options.signal ?? new AbortController().signal,
    onDelta: (t) => {
      deltas.push(t);
      options.onDelta?.(t);
    },
  });
  if (!result.ok) errors.push(result.error);
  for (const d of deltas) expect(d).not.toMatch(ESC);
  expect(result.raw).not.toMatch(ESC);
  return { result, deltas };
}

function expectOk(result: LlmResult): Extract<LlmResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result;
}

function expectFail(result: LlmResult): Extract<LlmResult, { ok: false }> {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.answer)}`);
  expect(result.error).not.toMatch(/\n/);
  return result;
}

describe('a well-behaved endpoint', () => {
  it('streams a proposal, records timing and tokens, and sends what was asked', async () => {
    const { result, deltas } = await ask(llmConfig(fake.baseUrl));
    const ok = expectOk(result);
    expect(ok.answer).toEqual({
      kind: 'proposal',
      nodeId: 'n1',
      score: 0.9,
      reasoning: 'n1 meets every hard requirement',
    });
    expect(ok.attempts).toBe(1);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(ok.raw);
    expect(ok.ttftMs).not.toBeNull();
    expect(ok.ttftMs!).toBeLessThanOrEqual(ok.latencyMs);
    expect(ok.tokens?.prompt).toBeGreaterThan(0);
    expect(ok.tokens?.completion).toBeGreaterThan(0);

    const [req] = fake.chatRequests();
    expect(req?.authorization).toBe(`Bearer ${SECRET}`);
    expect(req?.body).toMatchObject({
      model: 'fake-model',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 500,
      temperature: 0,
      response_format: { type: 'json_schema' },
    });
    expect(req?.body?.messages?.map((m) => m.content).join('\n\n')).toBe(
      promptText(proposeRequest()),
    );
  });

  it('votes with the vote token limit', async () => {
    const { result } = await ask(llmConfig(fake.baseUrl), voteRequest('n999', false));
    expect(expectOk(result).answer).toMatchObject({ kind: 'vote', vote: 'reject' });
    expect(fake.chatRequests()[0]?.body?.max_tokens).toBe(300);
  });

  it('sends a keyless placeholder, not OPENAI_API_KEY, to a keyless endpoint', async () => {
    const before = process.env['OPENAI_API_KEY'];
    process.env['OPENAI_API_KEY'] = 'sk-from-env-should-not-leak';
    try {
      expectOk((await ask(llmConfig(fake.baseUrl, { apiKey: undefined }))).result);
    } finally {
      if (before === undefined) delete process.env['OPENAI_API_KEY'];
      else process.env['OPENAI_API_KEY'] = before;
    }
    expect(fake.chatRequests()[0]?.authorization).toBe('Bearer no-key');
  });

  it('runs calls in parallel', async () => {
    // No answer leaves the server until all five requests are in: a sequential client would hang.
    const allIn = fake.waitFor(() => fake.inFlight === AGENTS.length);
    fake.setHandler(() => ({ reply: { kind: 'sensible' }, holdUntil: allIn }));
    const client = createLlmClient(llmConfig(fake.baseUrl));
    const results = await Promise.all(AGENTS.map((a) => askWith(client, proposeRequest(a))));
    expect(results.every((c) => c.result.ok)).toBe(true);
    expect(fake.maxInFlight).toBe(AGENTS.length);
  });
});

describe('model text', () => {
  const cases: [string, string][] = [
    ['fenced', '```json\n{"node_id": "n2", "score": 0.8, "reasoning": "ok"}\n```'],
    [
      'prose-wrapped',
      'Sure! My answer: {"node_id": "n2", "score": 0.8, "reasoning": "ok"} Thanks.',
    ],
    ['single-quoted', "{'node_id': 'N2', 'score': '0.8', 'reasoning': 'ok'}"],
    ['truncated', '{"node_id": "n2", "score": 0.8, "reasoning": "ok'],
  ];
  it.each(cases)('accepts a %s answer', async (_name, text) => {
    fake.enqueue({ reply: { kind: 'text', text } });
    const ok = expectOk((await ask(llmConfig(fake.baseUrl))).result);
    expect(ok.answer).toMatchObject({ nodeId: 'n2', score: 0.8 });
  });

  it('refuses wrong-typed JSON with the reason and the raw text', async () => {
    const text = '{"vote": "maybe", "confidence": 0.5, "reasoning": "unsure"}';
    fake.enqueue({ reply: { kind: 'text', text } });
    const fail = expectFail((await ask(llmConfig(fake.baseUrl), voteRequest('n1', true))).result);
    expect(fail.error).toBe(
      'unusable answer: field "vote": expected accept or reject, got "maybe"',
    );
    expect(fail.raw).toBe(text);
    expect(fail.attempts).toBe(1);
  });

  it('strips escape sequences from deltas and raw, even when split across chunks', async () => {
    const text =
      '{"node_id": "n1", "score": 0.7, "reasoning": "\u001b[31mred\u001b[0m \u001b]0;pwned\u0007title \u0007bell"}';
    fake.enqueue({ reply: { kind: 'text', text }, chunkChars: 3 });
    const { result, deltas } = await ask(llmConfig(fake.baseUrl));
    const ok = expectOk(result);
    expect(ok.answer).toMatchObject({ reasoning: 'red title bell' });
    expect(deltas.join('')).toBe(ok.raw);
    expect(ok.raw).not.toContain('[31m');
    expect(ok.raw).not.toContain('pwned');
  });

  it('stops reading an oversized answer and parses what came', async () => {
    const text = `{"node_id": "n1", "score": 0.6, "reasoning": "${'x'.repeat(200_000)}"}`;
    fake.enqueue({ reply: { kind: 'text', text }, chunkChars: 1000, tokenDelayMs: 1 });
    const ok = expectOk(
      (await ask(llmConfig(fake.baseUrl), proposeRequest(), { maxResponseBytes: 32 * 1024 }))
        .result,
    );
    expect(ok.answer).toMatchObject({ nodeId: 'n1', score: 0.6 });
    expect(ok.answer.kind === 'proposal' && ok.answer.reasoning.length).toBe(500);
    expect(ok.raw.length).toBeLessThanOrEqual(32 * 1024 + 1000);
    await fake.waitFor(() => fake.inFlight === 0);
    expect(fake.chatRequests()[0]?.outcome).not.toBe('complete');
  });

  it('refuses an oversized answer that is only prose', async () => {
    fake.enqueue({ reply: { kind: 'text', text: 'blah '.repeat(40_000) }, chunkChars: 1000 });
    const fail = expectFail((await ask(llmConfig(fake.baseUrl))).result);
    expect(fail.error).toMatch(/^unusable answer: no JSON object in \d+ chars of text$/);
  });
});

describe('failures and retries', () => {
  it('retries a 500 and succeeds', async () => {
    fake.enqueue({ reply: { kind: 'status', status: 500, message: 'boom' } });
    const ok = expectOk((await ask(llmConfig(fake.baseUrl))).result);
    expect(ok.attempts).toBe(2);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('gives up after the retry budget', async () => {
    fake.setHandler(() => ({ reply: { kind: 'status', status: 503, message: 'overloaded' } }));
    const fail = expectFail((await ask(llmConfig(fake.baseUrl))).result);
    expect(fail.attempts).toBe(3);
    expect(fail.error).toBe('HTTP 503 server error: overloaded (gave up after 3 attempts)');
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it('does not retry a 401, and never shows the key the server echoes', async () => {
    fake.enqueue({
      reply: { kind: 'status', status: 401, message: `Incorrect API key provided: ${SECRET}` },
    });
    const fail = expectFail((await ask(llmConfig(fake.baseUrl))).result);
    expect(fail.attempts).toBe(1);
    expect(fail.error).toMatch(/^HTTP 401 unauthorized at .*check the API key$/);
    fake.enqueue({ reply: { kind: 'status', status: 418, message: `teapot refuses ${SECRET}` } });
    const teapot = expectFail((await ask(llmConfig(fake.baseUrl))).result);
    expect(teapot.error).toBe('HTTP 418: teapot refuses ***');
  });

  it('honours retry-after-ms', async () => {
    fake.enqueue({
      reply: {
        kind: 'status',
        status: 429,
        message: 'slow down',
        headers: { 'retry-after-ms': '150' },
      },
    });
    const ok = expectOk((await ask(llmConfig(fake.baseUrl))).result);
    expect(ok.attempts).toBe(2);
    const [first, second] = fake.chatRequests();
    // Backoff is 1 ms in these tests, so only the header can explain the gap.
    expect(second!.startedAt - first!.endedAt!).toBeGreaterThanOrEqual(140);
  });

  it('honours Retry-After only up to the cap', async () => {
    fake.enqueue({
      reply: {
        kind: 'status',
        status: 429,
        message: 'slow down',
        headers: { 'retry-after': '3600' },
      },
    });
    const ok = expectOk(
      (await ask(llmConfig(fake.baseUrl), proposeRequest(), { retryAfterCapMs: 100 })).result,
    );
    expect(ok.attempts).toBe(2);
    const [first, second] = fake.chatRequests();
    const gap = second!.startedAt - first!.endedAt!;
    expect(gap).toBeGreaterThanOrEqual(90);
    expect(gap).toBeLessThan(3000);
  });

  it('does not wait past the total timeout for a retry', async () => {
    fake.enqueue({
      reply: { kind: 'status', status: 429, message: 'slow down', headers: { 'retry-after': '3' } },
    });
    const fail = expectFail((await ask(llmConfig(fake.baseUrl, { timeoutMs: 1000 }))).result);
    expect(fail.attempts).toBe(1);
    expect(fail.error).toMatch(
      /^HTTP 429 rate limited: slow down \(no time left to retry within 1 s\)$/,
    );
    expect(fail.latencyMs).toBeLessThan(1000);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('retries a connection dropped before the headers', async () => {
    fake.enqueue({ reply: { kind: 'drop', beforeHeaders: true } });
    const ok = expectOk((await ask(llmConfig(fake.baseUrl))).result);
    expect(ok.attempts).toBe(2);
  });

  it('retries a connection dropped mid-stream, and marks the restart in the stream', async () => {
    fake.enqueue({ reply: { kind: 'drop', text: '{"node_id": "n' } });
    const { result, deltas } = await ask(llmConfig(fake.baseUrl));
    const ok = expectOk(result);
    expect(ok.attempts).toBe(2);
    expect(ok.raw.startsWith('{"node_id":"n1"')).toBe(true);
    expect(deltas.join('')).toMatch(
      /^\{"node_id": "n\n\[connection lost: .*; retrying\]\n\{"node_id":"n1"/,
    );
  });

  it('reports a connection that keeps dropping', async () => {
    fake.setHandler(() => ({ reply: { kind: 'drop', text: '{"node' } }));
    const fail = expectFail((await ask(llmConfig(fake.baseUrl))).result);
    expect(fail.attempts).toBe(3);
    expect(fail.error).toMatch(/^connection lost: .* \(gave up after 3 attempts\)$/);
    expect(fail.raw).toBe('{"node');
  });

  it('retries an error sent inside the stream', async () => {
    fake.enqueue({ reply: { kind: 'stream-error', text: '{"no', message: 'model crashed' } });
    const ok = expectOk((await ask(llmConfig(fake.baseUrl))).result);
    expect(ok.attempts).toBe(2);
  });

  it('reports a closed port as connection refused', async () => {
    const closed = await FakeOpenAiServer.start();
    const url = closed.baseUrl;
    await closed.close();
    const fail = expectFail((await ask(llmConfig(url))).result);
    expect(fail.error).toBe(`connection refused at ${url} (gave up after 3 attempts)`);
  });
});

describe('timeouts and cancellation', () => {
  it('fires the idle timeout on a stall mid-stream', async () => {
    fake.enqueue({ reply: { kind: 'stall', text: '{"node_id": ' } });
    const config = llmConfig(fake.baseUrl, { idleTimeoutMs: 150, timeoutMs: 10_000 });
    const fail = expectFail((await ask(config, proposeRequest(), { maxRetries: 0 })).result);
    expect(fail.error).toBe('stalled: no data for 0.15 s (gave up after 1 attempt)');
    expect(fail.raw).toBe('{"node_id": ');
    expect(fail.latencyMs).toBeGreaterThanOrEqual(140);
    expect(fail.latencyMs).toBeLessThan(5000);
    await fake.waitFor(() => fake.chatRequests()[0]?.outcome === 'client closed');
  });

  it('retries after a stall', async () => {
    fake.enqueue({ reply: { kind: 'stall' } });
    const config = llmConfig(fake.baseUrl, { idleTimeoutMs: 100, timeoutMs: 10_000 });
    const ok = expectOk((await ask(config)).result);
    expect(ok.attempts).toBe(2);
  });

  it('bounds the whole call by the total timeout', async () => {
    // A steady trickle never trips the idle timer; only the total bound ends it.
    fake.setHandler(() => ({
      reply: { kind: 'text', text: 'x'.repeat(10_000) },
      chunkChars: 1,
      tokenDelayMs: 10,
    }));
    const config = llmConfig(fake.baseUrl, { idleTimeoutMs: 1000, timeoutMs: 300 });
    const fail = expectFail((await ask(config)).result);
    expect(fail.error).toBe('timed out after 0.3 s');
    expect(fail.attempts).toBe(1);
    expect(fail.latencyMs).toBeGreaterThanOrEqual(290);
    expect(fail.latencyMs).toBeLessThan(3000);
    expect(fail.raw.length).toBeGreaterThan(0);
  });

  it('bounds the wait for headers by the total timeout', async () => {
    fake.enqueue({ reply: { kind: 'sensible' }, latencyMs: 60_000 });
    const fail = expectFail((await ask(llmConfig(fake.baseUrl, { timeoutMs: 200 }))).result);
    expect(fail.error).toBe('timed out after 0.2 s');
    expect(fail.latencyMs).toBeLessThan(3000);
  });

  it('cancels on the signal mid-stream', async () => {
    fake.enqueue({ reply: { kind: 'stall', text: '{"node_id": "n1"' } });
    const controller = new AbortController();
    const fail = expectFail(
      (
        await ask(llmConfig(fake.baseUrl), proposeRequest(), {
          signal: controller.signal,
          onDelta: () => controller.abort(),
        })
      ).result,
    );
    expect(fail.error).toBe('cancelled');
    expect(fail.attempts).toBe(1);
    await fake.waitFor(() => fake.chatRequests()[0]?.outcome === 'client closed');
  });

  it('cancels while waiting for headers', async () => {
    fake.enqueue({ reply: { kind: 'sensible' }, latencyMs: 60_000 });
    const controller = new AbortController();
    const call = ask(llmConfig(fake.baseUrl), proposeRequest(), { signal: controller.signal });
    await fake.waitFor(() => fake.inFlight === 1);
    controller.abort();
    const fail = expectFail((await call).result);
    expect(fail.error).toBe('cancelled');
  });

  it('cancels while waiting to retry', async () => {
    fake.enqueue({
      reply: { kind: 'status', status: 429, message: 'later', headers: { 'retry-after': '4' } },
    });
    const controller = new AbortController();
    const call = ask(llmConfig(fake.baseUrl, { timeoutMs: 20_000 }), proposeRequest(), {
      signal: controller.signal,
    });
    await fake.waitFor(() => fake.chatRequests()[0]?.endedAt != null);
    controller.abort();
    const fail = expectFail((await call).result);
    expect(fail.error).toBe('cancelled');
    expect(fail.latencyMs).toBeLessThan(3000);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('makes no request when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const fail = expectFail(
      (await ask(llmConfig(fake.baseUrl), proposeRequest(), { signal: controller.signal })).result,
    );
    expect(fail).toMatchObject({ error: 'cancelled', attempts: 0 });
    expect(fake.chatRequests()).toHaveLength(0);
  });
});

describe('structured output negotiation', () => {
  it('falls back from json_schema to json_object and remembers it', async () => {
    const s = await start({ responseFormats: ['json_object'] });
    const client = createLlmClient(llmConfig(s.baseUrl));
    expectOk((await askWith(client)).result);
    expect(s.chatRequests().map((r) => r.body?.response_format?.type)).toEqual([
      'json_schema',
      'json_object',
    ]);
    expect(client.jsonMode).toBe('json_object');
    expectOk((await askWith(client, voteRequest('n1', false))).result);
    expect(s.chatRequests()).toHaveLength(3);
    expect(s.chatRequests()[2]?.body?.response_format?.type).toBe('json_object');
  });

  it('downgrades once when parallel calls are refused together', async () => {
    const s = await start({ responseFormats: ['json_object'], latencyMs: 20 });
    const client = createLlmClient(llmConfig(s.baseUrl));
    const results = await Promise.all(AGENTS.map((a) => askWith(client, proposeRequest(a))));
    expect(results.every((c) => c.result.ok)).toBe(true);
    expect(client.jsonMode).toBe('json_object');
    expect(s.chatRequests().every((r) => r.body?.response_format !== undefined)).toBe(true);
  });

  it('falls back to no response_format at all', async () => {
    const s = await start({ responseFormats: [] });
    const client = createLlmClient(llmConfig(s.baseUrl));
    const ok = expectOk((await askWith(client)).result);
    expect(ok.attempts).toBe(3);
    expect(client.jsonMode).toBe('off');
    expect(s.chatRequests()[2]?.body?.response_format).toBeUndefined();
  });

  it('keeps to an explicitly chosen mode', async () => {
    const s = await start({ responseFormats: ['json_object'] });
    const fail = expectFail((await ask(llmConfig(s.baseUrl, { jsonMode: 'json_schema' }))).result);
    expect(fail.error).toMatch(/^HTTP 400: response_format type json_schema is not supported/);
    expect(s.chatRequests()).toHaveLength(1);
    expectOk((await ask(llmConfig(s.baseUrl, { jsonMode: 'off' }))).result);
    expect(s.chatRequests()[1]?.body?.response_format).toBeUndefined();
  });

  it('drops stream_options where refused', async () => {
    const s = await start({ rejectStreamOptions: true });
    const ok = expectOk((await ask(llmConfig(s.baseUrl))).result);
    expect(ok.attempts).toBe(2);
    expect(ok.tokens).toBeNull();
    expect(s.chatRequests()[1]?.body?.stream_options).toBeUndefined();
  });
});
