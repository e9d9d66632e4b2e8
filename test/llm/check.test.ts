import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveLlmConfig } from '../../src/agents/config.js';
import { runCheck } from '../../src/cli/check.js';
import { runSetup } from '../../src/cli/setup.js';
import { FakeOpenAiServer, type FakeServerOptions } from '../support/fake-openai-server.js';
import { SECRET, llmConfig } from './fixtures.js';

const servers: FakeOpenAiServer[] = [];
let fake: FakeOpenAiServer;
const dir = mkdtempSync(join(tmpdir(), 'hybrid-tui-setup-'));

beforeAll(async () => {
  fake = await start({ models: ['other-model', 'fake-model'] });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: FakeServerOptions = {}): Promise<FakeOpenAiServer> {
  const s = await FakeOpenAiServer.start(options);
  servers.push(s);
  return s;
}

function lines() {
  const out: string[] = [];
  return { out, write: (line: string) => void out.push(line) };
}

describe('runCheck', () => {
  it('says ready for a working endpoint', async () => {
    const o = lines();
    const code = await runCheck(llmConfig(fake.baseUrl), o);
    expect(code).toBe(0);
    expect(o.out.at(-1)).toBe('verdict: ready');
    expect(o.out).toContain('model: fake-model is listed');
    expect(o.out.some((l) => /^reachable: yes \(2 models listed in \d+ ms\)$/.test(l))).toBe(true);
    expect(o.out).toContain('key: set');
    expect(o.out.some((l) => /^json completion: ok in \d+ ms/.test(l))).toBe(true);
    expect(o.out).toContain('json mode: json_schema (structured output)');
    expect(o.out.join('\n')).not.toContain(SECRET);
  });

  it('reports a model the server does not list, and JSON-mode fallbacks', async () => {
    const s = await start({ models: ['llama3'], responseFormats: ['json_object'] });
    const o = lines();
    expect(await runCheck(llmConfig(s.baseUrl), o)).toBe(0);
    expect(o.out).toContain('model: fake-model is NOT listed (the server lists: llama3)');
    expect(o.out.some((l) => /^reachable: yes \(1 model listed in \d+ ms\)$/.test(l))).toBe(true);
    expect(o.out).toContain('json mode: json_object (json_schema refused)');
    expect(o.out.at(-1)).toBe('verdict: ready');
  });

  it('tolerates an endpoint without a models list', async () => {
    const s = await start({ models: null });
    const o = lines();
    expect(await runCheck(llmConfig(s.baseUrl), o)).toBe(0);
    expect(o.out).toContain('reachable: yes (no models list here, HTTP 404; model not verified)');
  });

  it('says not usable, in one line, for a closed port', async () => {
    const closed = await FakeOpenAiServer.start();
    const url = closed.baseUrl;
    await closed.close();
    const o = lines();
    expect(await runCheck(llmConfig(url), o)).toBe(1);
    const last = o.out.at(-1) ?? '';
    expect(last).toBe(`verdict: not usable — cannot reach ${url}: connection refused`);
  });

  it('says not usable when the key is refused, without printing it', async () => {
    const s = await start({ apiKey: 'the-right-key' });
    const o = lines();
    expect(await runCheck(llmConfig(s.baseUrl), o)).toBe(1);
    expect(o.out.at(-1)).toMatch(
      /^verdict: not usable — HTTP 401 unauthorized at .*: check the API key$/,
    );
    expect(o.out.join('\n')).not.toContain(SECRET);
  });

  it('says not usable when completions fail', async () => {
    fake.setHandler((r) =>
      r.path.endsWith('/chat/completions')
        ? { reply: { kind: 'text', text: 'I cannot do JSON.' } }
        : undefined,
    );
    const o = lines();
    expect(await runCheck(llmConfig(fake.baseUrl), o)).toBe(1);
    expect(o.out).toContain('raw: I cannot do JSON.');
    expect(o.out.at(-1)).toBe(
      'verdict: not usable — unusable answer: no JSON object in 17 chars of text',
    );
  });

  it('has nothing to check offline', async () => {
    const o = lines();
    const config = resolveLlmConfig({ flags: {}, env: {}, configFile: null });
    expect(await runCheck(config, o)).toBe(2);
    expect(o.out.at(-1)).toMatch(/^verdict: not usable — no endpoint configured/);
  });
});

describe('runSetup', () => {
  function io(answers: string[]) {
    const o = lines();
    const asked: string[] = [];
    return {
      out: o.out,
      asked,
      write: o.write,
      ask: (q: string) => {
        asked.push(q);
        return Promise.resolve(answers.shift() ?? '');
      },
    };
  }

  it('writes a keyless local config with mode 0600 and checks it', async () => {
    const path = join(dir, 'a', 'b', 'config.json');
    const t = io(['3', fake.baseUrl, '', 'fake-model']);
    const code = await runSetup(t, path, { env: {} });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      provider: 'ollama',
      baseUrl: fake.baseUrl,
      model: 'fake-model',
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(t.out).toContain('the server lists: other-model, fake-model');
    expect(t.out.at(-1)).toBe('verdict: ready');
  });

  it('stores a key without ever printing it', async () => {
    const path = join(dir, 'custom.json');
    const t = io(['7', fake.baseUrl, SECRET, 'fake-model']);
    expect(await runSetup(t, path, { env: {} })).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
      provider: 'custom',
      apiKey: SECRET,
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect([...t.out, ...t.asked].join('\n')).not.toContain(SECRET);
    expect(t.out).toContain('key: recorded (not shown)');
    expect(fake.chatRequests()[0]?.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('re-asks a bad answer and gives up after three', async () => {
    const path = join(dir, 'never.json');
    const t = io(['9', 'x', 'banana']);
    expect(await runSetup(t, path, { env: {}, check: () => Promise.resolve(0) })).toBe(2);
    expect(t.out.at(-1)).toBe(
      'setup: choose 1-7 or one of sambanova, openai, ollama, vllm, llamacpp, lmstudio, custom',
    );
    expect(() => statSync(path)).toThrow();
  });

  it('fails with a config error when a remote provider has no key', async () => {
    const path = join(dir, 'samba.json');
    const t = io(['1', '', '', '']);
    const code = await runSetup(t, path, {
      env: {},
      listModels: () => Promise.resolve([]),
      check: () => Promise.resolve(0),
    });
    expect(code).toBe(2);
    expect(t.asked[2]).toBe('API key (Enter to use $SAMBANOVA_API_KEY, which is NOT set): ');
    expect(t.out.at(-1)).toBe(
      'setup: SambaNova needs an API key: set SAMBANOVA_API_KEY or enter one; nothing was written',
    );
    expect(() => statSync(path)).toThrow();
  });
});
