// Which endpoint the agents talk to and how each call is bounded, decided once from flags,
// environment and the config file. --offline wins; otherwise the endpoint is chosen as
// endpoint.ts says, and a flag beats the config file, which beats the defaults, for the rest.
// This module is also the entry point for the config modules: their public names are re-exported.
import {
  ConfigError,
  CREDENTIALS_REFUSED,
  hasCredentials,
  isHttpUrl,
  maskUrl,
  type Env,
} from './config-checks.js';
import { loadConfigFile, type ConfigFile, type JsonMode } from './config-file.js';
import { chooseEndpoint } from './endpoint.js';
import { PROVIDERS, type ProviderId } from './providers.js';

export { ConfigError, type Env } from './config-checks.js';
export {
  ConfigFileSchema,
  configFilePath,
  loadConfigFile,
  parseConfigText,
  type ConfigFile,
  type JsonMode,
  type LoadedConfigFile,
} from './config-file.js';
export {
  GENERIC_KEY_ENV,
  PROVIDERS,
  providerOfUrl,
  type ProviderId,
  type ProviderInfo,
} from './providers.js';
export { redact } from './redact.js';

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

export interface ResolveInput {
  flags: LlmFlags;
  env: Env;
  /** The parsed config file, or null when there is none. */
  configFile: ConfigFile | null;
  /** For messages only. */
  configPath?: string;
  /** `check` may run without a model: it then lists what the server serves. */
  modelOptional?: boolean;
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
  // A run that cannot start says where its endpoint came from and every way out of it.
  const fromFile = input.configPath !== undefined && endpoint.source === `from ${input.configPath}`;
  const fix = fromFile
    ? `; it comes from ${input.configPath}: run hybrid-tui setup, edit or delete that file, or pass --offline`
    : '; or pass --offline';
  if (!model && !input.modelOptional) {
    const why = `no model for ${info.label} at ${endpoint.baseUrl}: pass --model NAME (hybrid-tui check lists what it serves)`;
    throw new ConfigError(`${why}${fix}`, why);
  }
  if (!info.local && info.keyEnv && !endpoint.apiKey) {
    const why = `${info.label} needs an API key: set ${info.keyEnv}`;
    throw new ConfigError(`${why}${fix}`, why);
  }
  const key = endpoint.keySource ? `key from ${endpoint.keySource}` : 'no key';
  return {
    mode: 'llm',
    reason: `${info.label} at ${endpoint.baseUrl}, ${model ? `model ${model}` : 'no model chosen'} (${endpoint.source}, ${key})`,
    provider: endpoint.provider,
    baseUrl: endpoint.baseUrl,
    model: model ?? null,
    apiKey: endpoint.apiKey,
    ...common,
  };
}

function validateFlags(flags: LlmFlags): void {
  if (flags.baseUrl !== undefined && hasCredentials(flags.baseUrl))
    throw new ConfigError(`--base-url: ${CREDENTIALS_REFUSED}`);
  if (flags.baseUrl !== undefined && !isHttpUrl(flags.baseUrl)) {
    throw new ConfigError(`--base-url: expected an http(s) URL, got "${maskUrl(flags.baseUrl)}"`);
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

/**
 * The config a run's (or a sweep's) flags, environment and config file resolve to. jsonMode
 * comes from the config file only: no flag sets it.
 */
export function loadLlmConfig(
  opts: Omit<LlmFlags, 'jsonMode'>,
  env: Env,
  modelOptional = false,
): LlmConfig {
  const file = loadConfigFile(env);
  return resolveLlmConfig({
    modelOptional,
    flags: {
      offline: opts.offline === true,
      ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
      ...(opts.model !== undefined ? { model: opts.model } : {}),
      ...(opts.timeoutS !== undefined ? { timeoutS: opts.timeoutS } : {}),
      ...(opts.maxTokens !== undefined ? { maxTokens: opts.maxTokens } : {}),
      ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
    },
    env,
    configFile: file.config,
    configPath: file.path,
  });
}
