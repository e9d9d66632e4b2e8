// The test server itself: what the other tests rely on it to do.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessages } from '../../src/agents/prompts.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';
import { proposeRequest } from './fixtures.js';

let fake: FakeOpenAiServer;
let client: OpenAI;

beforeAll(async () => {
  fake = await FakeOpenAiServer.start({ models: ['a', 'b'] });
  client = new OpenAI({ apiKey: 'k', baseURL: fake.baseUrl, maxRetries: 0 });
});
afterAll(() => fake.close());

describe('fake OpenAI server', () => {
  it('answers non-streaming completions with usage', async () => {
    const res = await client.chat.completions.create({
      model: 'm',
      messages: buildMessages(proposeRequest()),
    });
    expect(JSON.parse(res.choices[0]?.message.content ?? '')).toMatchObject({ node_id: 'n1' });
    expect(res.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('records requests with timestamps and outcome', async () => {
    fake.reset();
    fake.enqueue({ reply: { kind: 'status', status: 500, message: 'x' } });
    await expect(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toThrow(/500/);
    const [rec] = fake.chatRequests();
    expect(rec).toMatchObject({ method: 'POST', outcome: 'status 500', authorization: 'Bearer k' });
    expect(rec!.endedAt!).toBeGreaterThanOrEqual(rec!.startedAt);
    expect(fake.inFlight).toBe(0);
  });
});
