// Which endpoint to talk to, and with which key. Order: --base-url, then the config file's
// endpoint (a deliberate choice made with `hybrid-tui setup`), then SAMBANOVA_API_KEY, then
// OPENAI_API_KEY / OPENAI_BASE_URL. Keys come only from the environment or the config file, never
// from flags (they would show in `ps` and shell history), and a key is only ever sent to the
// endpoint it belongs to.
import { ConfigError, nonEmpty, normaliseUrl, type Env } from './config-checks.js';
import type { ConfigFile } from './config-file.js';
import { GENERIC_KEY_ENV, PROVIDERS, providerOfUrl, type ProviderId } from './providers.js';

export interface Endpoint {
  provider: ProviderId;
  baseUrl: string;
  model: string | null;
  apiKey: string | undefined;
  keySource: string | null;
  source: string;
}

/** Where an endpoint may be named: the part of the resolver's input that matters here. */
export interface EndpointSources {
  flags: { baseUrl?: string };
  env: Env;
  configFile: ConfigFile | null;
  configPath?: string;
}

export function chooseEndpoint({
  flags,
  env,
  configFile,
  configPath,
}: EndpointSources): Endpoint | null {
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
