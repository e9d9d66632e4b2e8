// Which endpoint the agents talk to, decided once from flags, environment and the config file.
// Order: --offline, then --base-url, then the config file's endpoint (a deliberate choice made
// with `hybrid-tui setup`), then SAMBANOVA_API_KEY, then OPENAI_API_KEY / OPENAI_BASE_URL.
// Keys come only from the environment or the config file, never from flags (they would show in
// `ps` and shell history), and a key is only ever sent to the endpoint it belongs to.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { oneLine } from './sanitize.js';

export type ProviderId =
  'sambanova' | 'openai' | 'ollama' | 'vllm' | 'llamacpp' | 'lmstudio' | 'custom';

export type JsonMode = 'auto' | 'json_schema' | 'json_object' | 'off';

export interface ProviderInfo {
  id: ProviderId;
  label: string;
  baseUrl: string | null;
  /** null when the user must name the model (the server serves whatever it was started with). */
  model: string | null;
  keyEnv: string | null;
  local: boolean;
}

export const PROVIDERS: Record<ProviderId, ProviderInfo> = {
  sambanova: {
    id: 'sambanova',
    label: 'SambaNova',
    baseUrl: 'https://api.sambanova.ai/v1',
    model: 'Meta-Llama-3.3-70B-Instruct',
    keyEnv: 'SAMBANOVA_API_KEY',
    local: false,
  },
  openai: {
    id: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4o-mini',
    keyEnv: 'OPENAI_API_KEY',
    local: false,
  },
  ollama: {
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://localhost:11434/v1',
    model: 'llama3.2',
    keyEnv: null,
    local: true,
  },
  vllm: {
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://localhost:8000/v1',
    model: null,
    keyEnv: null,
    local: true,
  },
  // llama.cpp's server answers with whatever model it loaded, whatever name is sent.
  llamacpp: {
    id: 'llamacpp',
    label: 'llama.cpp',
    baseUrl: 'http://localhost:8080/v1',
    model: 'default',
    keyEnv: null,
    local: true,
  },
  lmstudio: {
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://localhost:1234/v1',
    model: null,
    keyEnv: null,
    local: true,
  },
  custom: {
    id: 'custom',
    label: 'OpenAI-compatible endpoint',
    baseUrl: null,
    model: null,
    keyEnv: null,
    local: false,
  },
};

/** Generic key for an endpoint that is neither SambaNova nor OpenAI (a vLLM started with --api-key...). */
export const GENERIC_KEY_ENV = 'HYBRID_TUI_API_KEY';

export const DEFAULTS = {
  timeoutS: 30,
  maxTokens: { propose: 500, vote: 300 },
  temperature: 0,
  jsonMode: 'auto' as JsonMode,
};

export interface LlmFlags {
  offline?: boolean;
  baseUrl?: string;
  model?: string;
  timeoutS?: number;
  maxTokens?: number;
  temperature?: number;
  jsonMode?: JsonMode;
}

const JsonModeSchema = z.enum(['auto', 'json_schema', 'json_object', 'off']);

export const ConfigFileSchema = z.strictObject({
  provider: z
    .enum(['sambanova', 'openai', 'ollama', 'vllm', 'llamacpp', 'lmstudio', 'custom'])
    .optional(),
  baseUrl: z.string().refine(isHttpUrl, 'expected an http(s) URL').optional(),
  model: z.string().min(1).optional(),
  apiKey: z.string().min(1).optional(),
  timeoutS: z.number().positive().max(600).optional(),
  idleTimeoutS: z.number().positive().max(600).optional(),
  maxTokens: z
    .union([
      z.int().min(1).max(32768),
      z.strictObject({
        propose: z.int().min(1).max(32768).optional(),
        vote: z.int().min(1).max(32768).optional(),
      }),
    ])
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  jsonMode: JsonModeSchema.optional(),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface LlmConfig {
  mode: 'offline' | 'llm';
  /** One line: why offline, or which provider and where its endpoint and key came from. */
  reason: string;
  provider: ProviderId | null;
  baseUrl: string | null;
  model: string | null;
  apiKey: string | undefined;
  /** Bound on one whole call, retries included. */
  timeoutMs: number;
  /** Bound on silence within a streamed answer. */
  idleTimeoutMs: number;
  maxTokens: { propose: number; vote: number };
  temperature: number;
  jsonMode: JsonMode;
}

/** A configuration the user must fix; the message is one line (exit code 2). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

export interface ResolveInput {
  flags: LlmFlags;
  env: Env;
  /** The parsed config file, or null when there is none. */
  configFile: ConfigFile | null;
  /** For messages only. */
  configPath?: string;
}

interface Endpoint {
  provider: ProviderId;
  baseUrl: string;
  model: string | null;
  apiKey: string | undefined;
  keySource: string | null;
  source: string;
}

export function resolveLlmConfig(input: ResolveInput): LlmConfig {
  const { flags, configFile } = input;
  validateFlags(flags);
  const file = configFile ?? {};
  const timeoutMs = Math.round((flags.timeoutS ?? file.timeoutS ?? DEFAULTS.timeoutS) * 1000);
  const idleTimeoutMs = Math.min(
    timeoutMs,
    file.idleTimeoutS !== undefined
      ? Math.round(file.idleTimeoutS * 1000)
      : Math.max(1000, Math.round(timeoutMs / 2)),
  );
  const fileTokens =
    typeof file.maxTokens === 'number'
      ? { propose: file.maxTokens, vote: file.maxTokens }
      : file.maxTokens;
  const maxTokens = {
    propose: flags.maxTokens ?? fileTokens?.propose ?? DEFAULTS.maxTokens.propose,
    vote: flags.maxTokens ?? fileTokens?.vote ?? DEFAULTS.maxTokens.vote,
  };
  const common = {
    timeoutMs,
    idleTimeoutMs,
    maxTokens,
    temperature: flags.temperature ?? file.temperature ?? DEFAULTS.temperature,
    jsonMode: flags.jsonMode ?? file.jsonMode ?? DEFAULTS.jsonMode,
  };
  const offline = (reason: string): LlmConfig => ({
    mode: 'offline',
    reason,
    provider: null,
    baseUrl: null,
    model: null,
    apiKey: undefined,
    ...common,
  });

  if (flags.offline) return offline('--offline given');
  const endpoint = chooseEndpoint(input);
  if (!endpoint) {
    return offline('no endpoint configured (set SAMBANOVA_API_KEY, OPENAI_API_KEY or --base-url)');
  }
  const info = PROVIDERS[endpoint.provider];
  const model = flags.model ?? endpoint.model ?? info.model;
  if (!model) {
    throw new ConfigError(
      `no model for ${info.label} at ${endpoint.baseUrl}: pass --model NAME (hybrid-tui check lists what it serves)`,
    );
  }
  if (!info.local && info.keyEnv && !endpoint.apiKey) {
    throw new ConfigError(`${info.label} needs an API key: set ${info.keyEnv}`);
  }
  const key = endpoint.keySource ? `key from ${endpoint.keySource}` : 'no key';
  return {
    mode: 'llm',
    reason: `${info.label} at ${endpoint.baseUrl}, model ${model} (${endpoint.source}, ${key})`,
    provider: endpoint.provider,
    baseUrl: endpoint.baseUrl,
    model,
    apiKey: endpoint.apiKey,
    ...common,
  };
}

function chooseEndpoint({ flags, env, configFile, configPath }: ResolveInput): Endpoint | null {
  const fileName = configPath ?? 'config file';
  const fileEndpoint = configFile ? endpointOfFile(configFile, env, fileName) : null;

  if (flags.baseUrl) {
    const baseUrl = normaliseUrl(flags.baseUrl);
    const provider = providerOfUrl(baseUrl);
    const sameAsFile = fileEndpoint && fileEndpoint.baseUrl === baseUrl ? fileEndpoint : null;
    const key = keyFor(
      provider,
      env,
      sameAsFile ? { key: configFile?.apiKey, where: fileName } : null,
    );
    return {
      provider,
      baseUrl,
      model: sameAsFile?.model ?? null,
      apiKey: key?.value,
      keySource: key?.source ?? null,
      source: 'from --base-url',
    };
  }
  if (fileEndpoint) return fileEndpoint;

  const samba = nonEmpty(env['SAMBANOVA_API_KEY']);
  if (samba) {
    return {
      provider: 'sambanova',
      baseUrl: PROVIDERS.sambanova.baseUrl as string,
      model: null,
      apiKey: samba,
      keySource: 'SAMBANOVA_API_KEY',
      source: 'SAMBANOVA_API_KEY set',
    };
  }
  const openaiKey = nonEmpty(env['OPENAI_API_KEY']);
  const openaiBase = nonEmpty(env['OPENAI_BASE_URL']);
  if (openaiKey || openaiBase) {
    const baseUrl = openaiBase
      ? normaliseUrl(openaiBase, 'OPENAI_BASE_URL')
      : (PROVIDERS.openai.baseUrl as string);
    // OPENAI_BASE_URL + OPENAI_API_KEY is the usual pair for any OpenAI-compatible service.
    const provider = openaiBase ? providerOfUrl(baseUrl) : 'openai';
    return {
      provider,
      baseUrl,
      model: null,
      apiKey: openaiKey,
      keySource: openaiKey ? 'OPENAI_API_KEY' : null,
      source: openaiBase ? 'OPENAI_BASE_URL set' : 'OPENAI_API_KEY set',
    };
  }
  return null;
}

function endpointOfFile(file: ConfigFile, env: Env, fileName: string): Endpoint | null {
  if (!file.provider && !file.baseUrl) return null;
  const provider = file.provider ?? providerOfUrl(normaliseUrl(file.baseUrl as string));
  const info = PROVIDERS[provider];
  const base = file.baseUrl ?? info.baseUrl;
  if (!base) throw new ConfigError(`${fileName}: provider "custom" needs "baseUrl"`);
  const key = keyFor(provider, env, { key: file.apiKey, where: fileName });
  return {
    provider,
    baseUrl: normaliseUrl(base),
    model: file.model ?? null,
    apiKey: key?.value,
    keySource: key?.source ?? null,
    source: `from ${fileName}`,
  };
}

/** The key for this provider: its own environment variable first, then the config file's. */
function keyFor(
  provider: ProviderId,
  env: Env,
  file: { key: string | undefined; where: string } | null,
): { value: string; source: string } | null {
  const info = PROVIDERS[provider];
  const envNames = info.keyEnv ? [info.keyEnv, GENERIC_KEY_ENV] : [GENERIC_KEY_ENV];
  for (const name of envNames) {
    const value = nonEmpty(env[name]);
    if (value) return { value, source: name };
  }
  if (file?.key) return { value: file.key, source: file.where };
  return null;
}

export function providerOfUrl(baseUrl: string): ProviderId {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'custom';
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'api.sambanova.ai') return 'sambanova';
  if (host === 'api.openai.com') return 'openai';
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1') {
    const byPort: Record<string, ProviderId> = {
      '11434': 'ollama',
      '8000': 'vllm',
      '8080': 'llamacpp',
      '1234': 'lmstudio',
    };
    return byPort[url.port] ?? 'custom';
  }
  return 'custom';
}

function validateFlags(flags: LlmFlags): void {
  if (flags.baseUrl !== undefined && !isHttpUrl(flags.baseUrl)) {
    throw new ConfigError(
      `--base-url: expected an http(s) URL, got "${oneLine(flags.baseUrl, 60)}"`,
    );
  }
  if (flags.model !== undefined && flags.model.trim() === '') {
    throw new ConfigError('--model: empty model name');
  }
  const range = (name: string, v: number | undefined, lo: number, hi: number, int = false) => {
    if (v === undefined) return;
    if (!Number.isFinite(v) || v < lo || v > hi || (int && !Number.isInteger(v))) {
      throw new ConfigError(
        `${name}: expected ${int ? 'an integer' : 'a number'} in ${lo}..${hi}, got ${v}`,
      );
    }
  };
  range('--timeout', flags.timeoutS, 0.1, 600);
  range('--max-tokens', flags.maxTokens, 1, 32768, true);
  range('--temperature', flags.temperature, 0, 2);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function normaliseUrl(text: string, what = 'base URL'): string {
  if (!isHttpUrl(text))
    throw new ConfigError(`${what}: expected an http(s) URL, got "${oneLine(text, 60)}"`);
  return text.trim().replace(/\/+$/, '');
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

// ---------------------------------------------------------------------------------------------
// The config file

/** Where the config file lives: $HYBRID_TUI_CONFIG, else $XDG_CONFIG_HOME/hybrid-tui, else ~/.config. */
export function configFilePath(env: Env, home: string = homedir()): string {
  const explicit = nonEmpty(env['HYBRID_TUI_CONFIG']);
  if (explicit) return explicit;
  const xdg = nonEmpty(env['XDG_CONFIG_HOME']);
  return join(xdg ?? join(home, '.config'), 'hybrid-tui', 'config.json');
}

export interface LoadedConfigFile {
  path: string;
  config: ConfigFile | null;
}

/**
 * Reads and validates the config file. A missing default file is no error; a missing file named
 * by $HYBRID_TUI_CONFIG, bad JSON or a bad field is a ConfigError naming the file.
 */
export function loadConfigFile(
  env: Env,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
  home?: string,
): LoadedConfigFile {
  const path = configFilePath(env, home);
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !nonEmpty(env['HYBRID_TUI_CONFIG'])) return { path, config: null };
    throw new ConfigError(`${path}: cannot read (${code ?? oneLine(String(err), 60)})`);
  }
  return { path, config: parseConfigText(text, path) };
}

export function parseConfigText(text: string, path: string): ConfigFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`${path}: not valid JSON (${oneLine(why, 80)})`);
  }
  const parsed = ConfigFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      throw new ConfigError(`${path}: unknown field "${issue.keys[0] ?? ''}"`);
    }
    const field = issue?.path.map(String).join('.') || '(top level)';
    throw new ConfigError(
      `${path}: field "${field}": ${oneLine(issue?.message ?? 'invalid', 100)}`,
    );
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------

/** Replaces every occurrence of each secret (and any bearer token) so errors can be shown and logged. */
export function redact(text: string, secrets: readonly (string | undefined | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "secrets" would shred ordinary text and are not real keys anyway.
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join('***');
  }
  return out.replace(/(Bearer\s+)[^\s"',]+/gi, '$1***');
}
