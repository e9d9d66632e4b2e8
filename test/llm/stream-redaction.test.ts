// A server that streams the API key back: the dashboard's log and the Enter detail fill from
// the streamed deltas, and at no moment of the stream may they hold the key or a piece of it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLlmClient } from '../../src/agents/llm-client.js';
import { makeCoreConfig } from '../../src/core/config.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import { LlmCalls } from '../../src/runtime/llm-calls.js';
import { createRuntime } from '../../src/runtime/run-offline.js';
import { createDashboardStore } from '../../src/store/store.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';
import { SECRET, llmConfig } from './fixtures.js';

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await FakeOpenAiServer.start();
});
afterAll(async () => {
  await server.close();
});

it('the log draft and the Enter detail never hold the key while it streams', async () => {
  server.setHandler(() => ({
    reply: {
      kind: 'echo-key',
      before: '{"node_id": "n1", "score": 0.9, "reasoning": "my key is ',
      after: '"}',
    },
    chunkChars: 2,
  }));
  const client = createLlmClient(llmConfig(server.baseUrl));
  const cfg = makeCoreConfig({ seed: 1, scenario: BUILTIN_SCENARIOS['healthy']!, maxRounds: 1 });
  const runtime = createRuntime(cfg, { calls: new LlmCalls(client, 5), speed: 'max' });
  const store = createDashboardStore();
  const pieces = [SECRET, SECRET.slice(0, 10), SECRET.slice(-10)];
  let deltas = 0;
  let shownPartial = false;
  runtime.onEvent((e) => {
    if (e.type === 'llm_delta') deltas++;
    store.getState().actions.applyEvents([e]);
    const s = store.getState();
    const texts = [
      ...s.log.map((entry) => (entry.kind === 'call' ? entry.text : entry.text)),
      ...s.agents.map((a) => a.lastCall?.raw ?? ''),
    ];
    for (const text of texts) for (const piece of pieces) expect(text).not.toContain(piece);
    if (texts.some((t) => t.includes('my key is ') && !t.includes('***'))) shownPartial = true;
  });
  const summary = await runtime.start();
  expect(summary.rounds).toBe(1);
  expect(deltas).toBeGreaterThan(50);
  expect(shownPartial).toBe(true); // the text before the key did stream while the key was held
  // The proposals were used: their text, key redacted, is what the log shows.
  const texts = store.getState().log.map((entry) => (entry.kind === 'call' ? entry.text : ''));
  expect(texts.some((r) => r.includes('my key is ***'))).toBe(true);
});
