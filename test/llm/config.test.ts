import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configFilePath,
  loadConfigFile,
  parseConfigText,
  redact,
  resolveLlmConfig,
  type ConfigFile,
  type Env,
  type LlmFlags,
} from '../../src/agents/config.js';

const resolve = (flags: LlmFlags = {}, env: Env = {}, configFile: ConfigFile | null = null) =>
  resolveLlmConfig({
    flags,
    env,
    configFile,
    configPath: '/home/u/.config/hybrid-tui/config.json',
  });

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toMatch(/\n/);
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveLlmConfig', () => {
  it('is offline with nothing configured, and says how to configure', () => {
    const c = resolve();
    expect(c).toMatchObject({
      mode: 'offline',
      reason: 'no endpoint configured (set SAMBANOVA_API_KEY, OPENAI_API_KEY or --base-url)',
      apiKey: undefined,
      timeoutMs: 30_000,
      maxTokens: { propose: 500, vote: 300 },
      temperature: 0,
      jsonMode: 'auto',
    });
  });

  it('--offline beats every endpoint', () => {
    const c = resolve(
      { offline: true, baseUrl: 'http://localhost:11434/v1' },
      { SAMBANOVA_API_KEY: 'k-samba' },
    );
    expect(c.mode).toBe('offline');
    expect(c.reason).toBe('--offline given');
    expect(c.apiKey).toBeUndefined();
  });

  it('uses SambaNova when its key is set, with the original model and token limits', () => {
    const c = resolve({}, { SAMBANOVA_API_KEY: 'k-samba', OPENAI_API_KEY: 'k-openai' });
    expect(c).toMatchObject({
      mode: 'llm',
      provider: 'sambanova',
      baseUrl: 'https://api.sambanova.ai/v1',
      model: 'Meta-Llama-3.3-70B-Instruct',
      apiKey: 'k-samba',
      maxTokens: { propose: 500, vote: 300 },
    });
    expect(c.reason).toContain('SambaNova');
    expect(c.reason).not.toContain('k-samba');
  });

  it('uses OpenAI with OPENAI_API_KEY, and OPENAI_BASE_URL when set', () => {
    expect(resolve({}, { OPENAI_API_KEY: 'k-openai' })).toMatchObject({
      provider: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
      apiKey: 'k-openai',
    });
    const c = resolve(
      { model: 'llama-3.1-8b' },
      { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'https://api.groq.com/openai/v1/' },
    );
    expect(c).toMatchObject({
      provider: 'custom',
      baseUrl: 'https://api.groq.com/openai/v1',
      apiKey: 'k',
      model: 'llama-3.1-8b',
    });
  });

  it('takes a local server from --base-url, keyless, without sending other providers keys to it', () => {
    const c = resolve(
      { baseUrl: 'http://localhost:11434/v1' },
      { OPENAI_API_KEY: 'k-openai', SAMBANOVA_API_KEY: 'k-s' },
    );
    expect(c).toMatchObject({
      mode: 'llm',
      provider: 'ollama',
      model: 'llama3.2',
      apiKey: undefined,
    });
    expect(c.reason).toContain('no key');
    expect(resolve({ baseUrl: 'http://localhost:8080/v1' })).toMatchObject({
      provider: 'llamacpp',
    });
    expect(resolve({ baseUrl: 'http://localhost:1234/v1', model: 'qwen2.5-7b' })).toMatchObject({
      provider: 'lmstudio',
    });
    expect(
      resolve(
        { baseUrl: 'http://127.0.0.1:8000/v1', model: 'm' },
        { HYBRID_TUI_API_KEY: 'k-vllm' },
      ),
    ).toMatchObject({
      provider: 'vllm',
      apiKey: 'k-vllm',
    });
  });

  it('asks for a model when the server cannot default one', () => {
    expect(configError(() => resolve({ baseUrl: 'http://localhost:8000/v1' }))).toMatch(
      /^no model for vLLM .*--model/,
    );
  });

  it('never takes a key from flags', () => {
    const flags = { baseUrl: 'http://localhost:11434/v1', apiKey: 'k-flag' } as LlmFlags;
    const c = resolve(flags);
    expect(c.apiKey).toBeUndefined();
    expect(JSON.stringify(c)).not.toContain('k-flag');
    expect(configError(() => resolve({ baseUrl: 'https://api.sambanova.ai/v1' }))).toBe(
      'SambaNova needs an API key: set SAMBANOVA_API_KEY; or pass --offline',
    );
  });

  it('prefers --base-url over the config file, and the config file over the environment', () => {
    const file: ConfigFile = { provider: 'lmstudio', model: 'qwen' };
    expect(resolve({}, { SAMBANOVA_API_KEY: 'k' }, file)).toMatchObject({
      provider: 'lmstudio',
      baseUrl: 'http://localhost:1234/v1',
      model: 'qwen',
    });
    expect(resolve({ baseUrl: 'http://localhost:11434/v1' }, {}, file)).toMatchObject({
      provider: 'ollama',
      model: 'llama3.2',
    });
    // A file holding only tuning leaves the endpoint to the environment.
    expect(resolve({}, { SAMBANOVA_API_KEY: 'k' }, { timeoutS: 60 })).toMatchObject({
      provider: 'sambanova',
      timeoutMs: 60_000,
    });
  });

  it('takes the config file key for its own endpoint, the environment key first', () => {
    const file: ConfigFile = { provider: 'sambanova', apiKey: 'k-file' };
    expect(resolve({}, {}, file).apiKey).toBe('k-file');
    expect(resolve({}, { SAMBANOVA_API_KEY: 'k-env' }, file).apiKey).toBe('k-env');
    const custom: ConfigFile = {
      baseUrl: 'https://llm.example.com/v1',
      model: 'm',
      apiKey: 'k-custom',
    };
    expect(resolve({}, {}, custom)).toMatchObject({ provider: 'custom', apiKey: 'k-custom' });
    // The file's key is not sent to another endpoint named on the command line.
    expect(
      resolve({ baseUrl: 'https://other.example.com/v1', model: 'm' }, {}, custom).apiKey,
    ).toBeUndefined();
    expect(resolve({ baseUrl: 'https://llm.example.com/v1/' }, {}, custom)).toMatchObject({
      apiKey: 'k-custom',
      model: 'm',
    });
  });

  it('applies flags over file over defaults for tuning', () => {
    const file: ConfigFile = {
      timeoutS: 60,
      maxTokens: { vote: 200 },
      temperature: 0.5,
      jsonMode: 'json_object',
      idleTimeoutS: 5,
    };
    const c = resolve(
      { baseUrl: 'http://localhost:11434/v1', timeoutS: 10, maxTokens: 100 },
      {},
      file,
    );
    expect(c).toMatchObject({
      timeoutMs: 10_000,
      idleTimeoutMs: 5000,
      maxTokens: { propose: 100, vote: 100 },
      temperature: 0.5,
      jsonMode: 'json_object',
    });
    const d = resolve({ baseUrl: 'http://localhost:11434/v1' }, {}, { maxTokens: { vote: 200 } });
    expect(d.maxTokens).toEqual({ propose: 500, vote: 200 });
    expect(d.idleTimeoutMs).toBeLessThanOrEqual(d.timeoutMs);
  });

  it('refuses bad flags with one line', () => {
    expect(configError(() => resolve({ baseUrl: 'ftp://x' }))).toMatch(
      /^--base-url: expected an http\(s\) URL/,
    );
    expect(configError(() => resolve({ timeoutS: 0 }))).toMatch(/^--timeout: /);
    expect(configError(() => resolve({ maxTokens: 1.5 }))).toMatch(
      /^--max-tokens: expected an integer/,
    );
    expect(configError(() => resolve({ temperature: 9 }))).toMatch(/^--temperature: /);
  });
});

describe('config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hybrid-tui-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is found through HYBRID_TUI_CONFIG, XDG_CONFIG_HOME or ~/.config', () => {
    expect(
      configFilePath({ HYBRID_TUI_CONFIG: '/x/c.json', XDG_CONFIG_HOME: '/xdg' }, '/home/u'),
    ).toBe('/x/c.json');
    expect(configFilePath({ XDG_CONFIG_HOME: '/xdg' }, '/home/u')).toBe(
      '/xdg/hybrid-tui/config.json',
    );
    expect(configFilePath({}, '/home/u')).toBe('/home/u/.config/hybrid-tui/config.json');
  });

  it('may be absent unless named explicitly', () => {
    expect(loadConfigFile({ XDG_CONFIG_HOME: dir })).toEqual({
      path: join(dir, 'hybrid-tui', 'config.json'),
      config: null,
    });
    const missing = join(dir, 'nope.json');
    expect(configError(() => loadConfigFile({ HYBRID_TUI_CONFIG: missing }))).toBe(
      `${missing}: cannot read (ENOENT)`,
    );
  });

  it('loads a good file', () => {
    const path = join(dir, 'good.json');
    writeFileSync(path, JSON.stringify({ provider: 'ollama', model: 'qwen2.5' }));
    expect(loadConfigFile({ HYBRID_TUI_CONFIG: path })).toEqual({
      path,
      config: { provider: 'ollama', model: 'qwen2.5' },
    });
  });

  it('names the file and the problem in one line', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"provider": "ollama",\n');
    expect(configError(() => loadConfigFile({ HYBRID_TUI_CONFIG: path }))).toMatch(
      new RegExp(`^${path}: not valid JSON at line 2, column 1$`),
    );
    expect(configError(() => parseConfigText('{"timeoutS": "soon"}', 'c.json'))).toMatch(
      /^c\.json: field "timeoutS": /,
    );
    expect(configError(() => parseConfigText('{"baseUrl": "localhost"}', 'c.json'))).toBe(
      'c.json: field "baseUrl": expected an http(s) URL',
    );
    expect(configError(() => parseConfigText('{"provider": "acme"}', 'c.json'))).toMatch(
      /^c\.json: field "provider": /,
    );
    expect(configError(() => parseConfigText('{"api_key": "x"}', 'c.json'))).toBe(
      'c.json: unknown field "api_key"',
    );
    expect(configError(() => parseConfigText('[]', 'c.json'))).toMatch(
      /^c\.json: field "\(top level\)": /,
    );
  });
});

describe('redact', () => {
  it('removes every secret and bearer token', () => {
    const key = 'sk-live-abcdef123456';
    expect(redact(`bad key ${key} (${key})`, [key])).toBe('bad key *** (***)');
    expect(redact('Authorization: Bearer abc.def-ghi', [])).toBe('Authorization: Bearer ***');
    expect(redact('nothing here', [undefined, null, ''])).toBe('nothing here');
  });
});
