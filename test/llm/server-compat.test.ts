// Compatibility with the real servers' own wire formats. Each transcript in test/llm/transcripts/
// is replayed byte for byte to the real `openai` client over a local socket, through the same
// LLM client the agents use. Sources, one per transcript (the first lines of each .http file say
// the same, with the detail of what each shows):
//
// Ollama     ollama/ollama openai/openai.go (ToChunk, ToChatCompletion, ToListCompletion, NewError),
//            middleware/openai.go (ChatWriter: SSE framing, usage chunk, [DONE]), server/routes.go
//            and server/sched.go (404 "not found, try pulling it first"; 503 "server busy", no 429)
// vLLM       vllm-project/vllm vllm/entrypoints/openai/serving_chat.py (stream generator),
//            protocol.py / engine/protocol.py (ErrorResponse, ErrorInfo, ModelCard), serving_engine.py
//            (_check_model 404, _validate_input context-length 400; the flat pre-0.9 error shape)
// llama.cpp  ggml-org/llama.cpp tools/server/server.cpp (oaicompat stream: content:null role delta,
//            usage+timings on the last chunk; format_error_response; handle_models; error SSE field),
//            tools/server/README.md (401), PR #15780 (exceed_context_size_error, n_prompt_tokens, n_ctx)
// LM Studio  https://lmstudio.ai/docs/api/openai-api; lmstudio-ai/lmstudio-bug-tracker #618 (200 with
//            {"error": "..."} off /v1) and #237, dyad-sh/dyad #925 (context error as a bare string)
// SambaNova  npm sambanova 1.4.0 src/resources/chat/completions.ts (chunk and usage fields);
//            https://docs.sambanova.ai/docs/en/api-reference/using-the-api/api-error-codes (envelope,
//            request_id, the top_p example); https://docs.sambanova.ai/docs/en/models/rate-limits
// OpenAI     https://platform.openai.com/docs/api-reference/chat/streaming,
//            https://platform.openai.com/docs/guides/error-codes, .../guides/rate-limits
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LlmConfig } from '../../src/agents/config.js';
import { isContextOverflow } from '../../src/agents/llm-errors.js';
import { createLlmClient } from '../../src/agents/llm-client.js';
import { retryAfterMs } from '../../src/agents/llm-retry.js';
import { parseAnswer } from '../../src/agents/parse.js';
import { promptText } from '../../src/agents/prompts.js';
import type { ProviderId } from '../../src/agents/providers.js';
import { runCheck } from '../../src/cli/check.js';
import { readTranscript, TranscriptServer } from '../support/transcript-server.js';
import { llmConfig, proposeRequest } from './fixtures.js';

const ANSWER =
  '{"node_id": "n2", "score": 0.9, "reasoning": "n2 has 2 GPUs and meets every requirement"}';

interface ServerCase {
  dir: string;
  provider: ProviderId;
  model: string;
  /** Token counts the stream reports (null: none sent). */
  tokens: { prompt: number; completion: number } | null;
  /** A phrase of its error transcript's message that must reach the user. */
  errorSays: string;
  /** Its answer to too many requests, when it has one, and the wait that answer asks for. */
  busy: { name: string; retryAfterMs: number | null } | null;
  context: string | null;
}

const SERVERS: ServerCase[] = [
  {
    dir: 'ollama',
    provider: 'ollama',
    model: 'llama3.2',
    tokens: { prompt: 412, completion: 27 },
    errorSays: 'HTTP 404',
    busy: { name: 'busy', retryAfterMs: null },
    context: null,
  },
  {
    dir: 'vllm',
    provider: 'vllm',
    model: 'Qwen/Qwen2.5-7B-Instruct',
    tokens: { prompt: 412, completion: 27 },
    errorSays: 'HTTP 404',
    busy: null,
    context: 'context',
  },
  {
    dir: 'llamacpp',
    provider: 'llamacpp',
    model: 'default',
    tokens: { prompt: 412, completion: 27 },
    errorSays: 'HTTP 401 unauthorized',
    busy: { name: 'busy', retryAfterMs: null },
    context: 'context',
  },
  {
    dir: 'lmstudio',
    provider: 'lmstudio',
    model: 'qwen2.5-7b-instruct',
    tokens: null,
    errorSays: 'HTTP 404',
    busy: null,
    context: 'context',
  },
  {
    dir: 'sambanova',
    provider: 'sambanova',
    model: 'Meta-Llama-3.3-70B-Instruct',
    tokens: { prompt: 412, completion: 27 },
    errorSays: 'Decimal above maximum value',
    busy: { name: 'ratelimit', retryAfterMs: null },
    context: null,
  },
  {
    dir: 'openai',
    provider: 'openai',
    model: 'gpt-4o-mini',
    tokens: { prompt: 412, completion: 27 },
    errorSays: 'HTTP 404',
    busy: { name: 'ratelimit', retryAfterMs: 1500 },
    context: 'context',
  },
];

let server: TranscriptServer;
beforeAll(async () => {
  server = await TranscriptServer.start();
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
});

// Retries wait at most a few ms here: what is checked is that they happen, and how often.
const FAST = { retryAfterCapMs: 5, backoffBaseMs: 1, random: () => 0.5 };

function config(c: ServerCase): LlmConfig {
  return llmConfig(server.baseUrl, { provider: c.provider, model: c.model });
}

async function ask(c: ServerCase) {
  const client = createLlmClient(config(c), FAST);
  const request = proposeRequest();
  const deltas: string[] = [];
  const result = await client.ask(request, promptText(request), {
    callId: 'compat',
    signal: new AbortController().signal,
    onDelta: (t) => void deltas.push(t),
  });
  return { result, deltas, client };
}

describe.each(SERVERS)('$dir', (c) => {
  it('streams an answer the agents can use, with its token counts', async () => {
    server.enqueue(readTranscript(c.dir, 'stream'));
    const { result, deltas, client } = await ask(c);
    expect(result).toMatchObject({ ok: true, raw: ANSWER, attempts: 1, tokens: c.tokens });
    expect(result.ok && result.answer).toMatchObject({ kind: 'proposal', nodeId: 'n2' });
    expect(deltas.join('')).toBe(ANSWER);
    // The request asked for structured output and usage, and the server took it.
    const sent = server.chatRequests()[0]?.body;
    expect(sent?.['stream']).toBe(true);
    expect(sent?.['response_format']).toMatchObject({ type: 'json_schema' });
    expect(client.jsonMode).toBe('json_schema');
  });

  it('returns a non-streamed completion the real client reads', async () => {
    server.enqueue(readTranscript(c.dir, 'nonstream'));
    const openai = new OpenAI({ apiKey: 'k', baseURL: server.baseUrl, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: c.model,
      messages: [{ role: 'user', content: 'x' }],
    });
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).toBe(ANSWER);
    expect(parseAnswer(content, 'propose')).toMatchObject({ ok: true });
    expect(completion.usage?.prompt_tokens).toBe(412);
  });

  it('lists its models, and `check` finds the model and passes', async () => {
    const models = readTranscript(c.dir, 'models');
    server.serveModels(models);
    const openai = new OpenAI({ apiKey: 'k', baseURL: server.baseUrl, maxRetries: 0 });
    const ids = (await openai.models.list()).data.map((m) => m.id);
    expect(ids.length).toBeGreaterThan(0);
    server.enqueue(readTranscript(c.dir, 'stream'));
    const out: string[] = [];
    // llama.cpp answers whatever model is asked for: check with the id it lists.
    const model = c.dir === 'llamacpp' ? (ids[0] ?? '') : c.model;
    const code = await runCheck({ ...config(c), model }, { write: (l) => void out.push(l) });
    expect(out.join('\n')).toContain(`model: ${model} is listed`);
    expect(code).toBe(0);
  });

  it('reports its error body in one line and does not retry it', async () => {
    const t = readTranscript(c.dir, 'error');
    server.enqueue(t);
    const { result } = await ask(c);
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(1);
    expect(server.chatRequests()).toHaveLength(1);
    if (!result.ok) {
      expect(result.error).not.toContain('\n');
      expect(result.error).toContain(c.errorSays);
    }
  });

  it.runIf(c.busy !== null)(
    'retries its rate-limit or busy answer, with the wait it asks for',
    async () => {
      const busy = readTranscript(c.dir, c.busy?.name ?? '');
      expect(retryAfterMs(new Headers(busy.headers))).toBe(c.busy?.retryAfterMs);
      server.enqueue(busy, readTranscript(c.dir, 'stream'));
      const { result } = await ask(c);
      expect(result).toMatchObject({ ok: true, attempts: 2 });
      expect(server.chatRequests()).toHaveLength(2);
    },
  );

  it.runIf(c.context !== null)('fails a prompt over the context at once, saying so', async () => {
    server.enqueue(readTranscript(c.dir, c.context ?? ''));
    const { result } = await ask(c);
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(1);
    if (!result.ok) expect(result.error).toMatch(/prompt too long for the model: .*context/);
  });
});

describe('differences of one server', () => {
  const byDir = (dir: string) => SERVERS.find((s) => s.dir === dir) as ServerCase;

  it('vLLM before 0.9: the flat error body still gives its message', async () => {
    server.enqueue(readTranscript('vllm', 'context-legacy'));
    const { result } = await ask(byDir('vllm'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain("This model's maximum context length is 4096");
    expect(result.attempts).toBe(1);
  });

  it('llama.cpp: an error sent as an `error:` SSE field is raised with its message, not retried', async () => {
    server.enqueue(readTranscript('llamacpp', 'stream-error'));
    const { result } = await ask(byDir('llamacpp'));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toBe(
        'stream error, prompt too long for the model: the request exceeds the available context size, try increasing it',
      );
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('LM Studio: a bare-string error body is shown without the quotes the client adds', async () => {
    server.enqueue(readTranscript('lmstudio', 'context'));
    const { result } = await ask(byDir('lmstudio'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(': Trying to keep the first 6547 tokens');
  });

  it('LM Studio: a JSON error answered 200 to a stream request is the 404 it means', async () => {
    server.enqueue(readTranscript('lmstudio', 'error'));
    const { result } = await ask(byDir('lmstudio'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^HTTP 404: .*endpoint not found/);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('Ollama: a model listed as name:latest is the model asked for by name', async () => {
    server.serveModels(readTranscript('ollama', 'models'));
    server.enqueue(readTranscript('ollama', 'stream'));
    const out: string[] = [];
    await runCheck(config(byDir('ollama')), { write: (l) => void out.push(l) });
    expect(out).toContain('model: llama3.2 is listed');
  });

  it('Ollama: an answer cut short (finish_reason length) is repaired to what it did say', async () => {
    server.enqueue(readTranscript('ollama', 'length'));
    const { result } = await ask(byDir('ollama'));
    expect(result).toMatchObject({
      ok: true,
      answer: { kind: 'proposal', nodeId: 'n2', score: 0.9, reasoning: '' },
    });
  });

  it('recognises every context-length wording above', () => {
    for (const [dir, name] of [
      ['vllm', 'context'],
      ['vllm', 'context-legacy'],
      ['llamacpp', 'context'],
      ['lmstudio', 'context'],
      ['openai', 'context'],
    ] as const) {
      expect(isContextOverflow(readTranscript(dir, name).body), `${dir}/${name}`).toBe(true);
    }
    for (const [dir, name] of [
      ['openai', 'error'],
      ['ollama', 'busy'],
      ['sambanova', 'error'],
    ] as const) {
      expect(isContextOverflow(readTranscript(dir, name).body), `${dir}/${name}`).toBe(false);
    }
  });
});
