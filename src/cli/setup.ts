// `hybrid-tui setup`: asks for provider, base URL, model and (optionally) a key, writes the config
// file readable by the user only, then checks the endpoint. The key is never printed back.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import OpenAI from 'openai';
import {
  ConfigError,
  PROVIDERS,
  parseConfigText,
  resolveLlmConfig,
  type ConfigFile,
  type Env,
  type LlmConfig,
  type ProviderId,
} from '../agents/config.js';
import { oneLine } from '../agents/sanitize.js';
import { runCheck, type LineOut } from './check.js';

export interface SetupIo extends LineOut {
  /** Asks one question; an empty answer takes the default shown in brackets. */
  ask(question: string): Promise<string>;
  /** Asks without echoing what is typed (the API key); falls back to `ask`. */
  askSecret?(question: string): Promise<string>;
}

export interface SetupOptions {
  env?: Env;
  /** Replaces the endpoint check run at the end (tests). */
  check?: (config: LlmConfig, out: LineOut) => Promise<number>;
  /** Lists the models a server offers, to suggest one; failures are ignored. */
  listModels?: (baseUrl: string, apiKey: string | undefined) => Promise<string[]>;
}

const ORDER: ProviderId[] = [
  'sambanova',
  'openai',
  'ollama',
  'vllm',
  'llamacpp',
  'lmstudio',
  'custom',
];
const MAX_TRIES = 3;
const LIST_TIMEOUT_MS = 3000;

/** Returns the exit code: that of the check, or 2 when the answers never made a valid config. */
export async function runSetup(
  io: SetupIo,
  configPath: string,
  options: SetupOptions = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const existing = readExisting(configPath, io);
  io.write(`hybrid-tui setup: this writes ${configPath} (readable by you only)`);
  io.write('Providers:');
  ORDER.forEach((id, i) => {
    const p = PROVIDERS[id];
    const where = p.baseUrl ?? 'any URL';
    const key = p.keyEnv ? `key in ${p.keyEnv}` : p.local ? 'no key needed' : 'key optional';
    io.write(`  ${i + 1}) ${p.label} (${where}, ${key})`);
  });

  const defaultIndex = Math.max(0, ORDER.indexOf(existing?.provider ?? 'sambanova'));
  const provider = await askValid(
    io,
    `Provider [1-${ORDER.length}, default ${defaultIndex + 1}]: `,
    (a) => {
      if (a === '') return ORDER[defaultIndex] ?? 'sambanova';
      const n = Number(a);
      const byNumber = Number.isInteger(n) ? ORDER[n - 1] : undefined;
      const byName = ORDER.find(
        (id) => id === a.toLowerCase() || PROVIDERS[id].label.toLowerCase() === a.toLowerCase(),
      );
      return byNumber ?? byName ?? new Error(`choose 1-${ORDER.length}`);
    },
  );
  if (provider instanceof Error) return fail(io, provider.message);
  const info = PROVIDERS[provider];

  const sameProvider = existing?.provider === provider;
  const defaultUrl = (sameProvider ? existing?.baseUrl : undefined) ?? info.baseUrl;
  const baseUrl = await askValid(io, `Base URL${defaultUrl ? ` [${defaultUrl}]` : ''}: `, (a) => {
    const text = a === '' ? defaultUrl : a;
    if (!text) return new Error('a base URL is needed, e.g. http://localhost:8000/v1');
    try {
      const url = new URL(text);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
      return text.replace(/\/+$/, '');
    } catch {
      return new Error(`not an http(s) URL: ${oneLine(text, 60)}`);
    }
  });
  if (baseUrl instanceof Error) return fail(io, baseUrl.message);

  const envKey = info.keyEnv ? env[info.keyEnv]?.trim() : undefined;
  const keyPrompt = info.local
    ? 'API key (Enter for none): '
    : info.keyEnv
      ? `API key (Enter to use $${info.keyEnv}${envKey ? ', which is set' : ', which is NOT set'}): `
      : 'API key (Enter for none): ';
  const keyAnswer = (await (io.askSecret ?? io.ask).call(io, keyPrompt)).trim();
  const apiKey = keyAnswer || (sameProvider ? existing?.apiKey : undefined);
  if (keyAnswer) io.write('key: recorded (not shown)');

  const served = await (options.listModels ?? listModels)(baseUrl, apiKey ?? envKey).catch(
    () => [],
  );
  if (served.length > 0)
    io.write(`the server lists: ${served.slice(0, 8).join(', ')}${served.length > 8 ? ', …' : ''}`);
  const defaultModel =
    (sameProvider ? existing?.model : undefined) ?? info.model ?? served[0] ?? null;
  const model = await askValid(io, `Model${defaultModel ? ` [${defaultModel}]` : ''}: `, (a) => {
    const text = a === '' ? defaultModel : a;
    return text ? text : new Error('a model name is needed');
  });
  if (model instanceof Error) return fail(io, model.message);

  // Tuning fields from an earlier file (timeouts, tokens...) are kept; the endpoint is replaced.
  const { provider: _p, baseUrl: _b, model: _m, apiKey: _k, ...tuning } = existing ?? {};
  const file: ConfigFile = { ...tuning, provider, baseUrl, model, ...(apiKey ? { apiKey } : {}) };
  try {
    writeConfig(configPath, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? oneLine(String(err), 80);
    return fail(io, `cannot write ${configPath} (${code})`);
  }
  io.write(`wrote ${configPath} (mode 0600)`);

  let config: LlmConfig;
  try {
    config = resolveLlmConfig({ flags: {}, env, configFile: file, configPath });
  } catch (err) {
    return fail(io, err instanceof ConfigError ? err.message : String(err));
  }
  io.write('checking the endpoint...');
  return (options.check ?? runCheck)(config, io);
}

/** Writes through a temporary file so a crash never leaves half a config, and never world-readable. */
export function writeConfig(path: string, file: ConfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

function readExisting(path: string, io: LineOut): ConfigFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    return parseConfigText(text, path);
  } catch (err) {
    io.write(`note: ${err instanceof Error ? err.message : String(err)}; it will be replaced`);
    return null;
  }
}

async function askValid<T>(
  io: SetupIo,
  question: string,
  check: (answer: string) => T | Error,
): Promise<T | Error> {
  let last: Error = new Error('no answer');
  for (let i = 0; i < MAX_TRIES; i++) {
    const result = check((await io.ask(question)).trim());
    if (!(result instanceof Error)) return result;
    last = result;
    io.write(`  ${result.message}`);
  }
  return last;
}

function fail(io: LineOut, reason: string): number {
  io.write(`setup: ${reason}`);
  return 2;
}

async function listModels(baseUrl: string, apiKey: string | undefined): Promise<string[]> {
  const openai = new OpenAI({
    apiKey: apiKey ?? 'no-key',
    baseURL: baseUrl,
    maxRetries: 0,
    timeout: LIST_TIMEOUT_MS,
    logLevel: 'off',
  });
  const page = await openai.models.list();
  return page.data.map((m) => m.id);
}
