// `hybrid-tui setup`: asks for provider, base URL, model and (optionally) a key, writes the config
// file readable by the user only, then checks the endpoint. The key is never printed back.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CREDENTIALS_REFUSED,
  hasCredentials,
  isHttpUrl,
  maskUrl,
} from '../agents/config-checks.js';
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
import {
  cleanModelIds,
  describeModels,
  fetchModelIds,
  isPlainModelId,
  type ServedModels,
} from './model-list.js';

export interface SetupIo extends LineOut {
  /** Asks one question; an empty answer takes the default shown in brackets; null: input ended. */
  ask(question: string): Promise<string | null>;
  /** Asks without echoing what is typed (the API key); falls back to `ask`. */
  askSecret?(question: string): Promise<string | null>;
}

export interface SetupOptions {
  env?: Env;
  /** Replaces the endpoint check run at the end (tests). */
  check?: (config: LlmConfig, out: LineOut) => Promise<number>;
  /** Lists the models a server offers, to suggest one; failures are ignored. */
  listModels?: (baseUrl: string, apiKey: string | undefined) => Promise<string[]>;
  /** `--non-interactive`: no questions; these answers (the key from the environment only). */
  answers?: SetupAnswers;
}

export interface SetupAnswers {
  provider?: string;
  baseUrl?: string;
  model?: string;
}

/** The input ended before every question was answered. */
class EndOfInput extends Error {}

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
  const { file: existing, unreadable } = readExisting(configPath, io);
  io.write(
    existing
      ? `hybrid-tui setup: this updates ${configPath} (each answer defaults to what it holds)`
      : `hybrid-tui setup: this writes ${configPath} (readable by you only)`,
  );
  if (!options.answers) {
    io.write('Providers:');
    ORDER.forEach((id, i) => {
      const p = PROVIDERS[id];
      const where = p.baseUrl ?? 'any URL';
      const key = p.keyEnv ? `key in ${p.keyEnv}` : p.local ? 'no key needed' : 'key optional';
      io.write(`  ${i + 1}) ${p.label} (${where}, ${key})`);
    });
  }

  try {
    return await ask(io, configPath, { file: existing, unreadable }, env, options);
  } catch (err) {
    if (err instanceof EndOfInput)
      return fail(
        io,
        `the input ended before ${err.message} was answered; nothing was written (hybrid-tui setup --non-interactive --provider P --base-url URL --model M answers without questions)`,
      );
    throw err;
  }
}

async function ask(
  io: SetupIo,
  configPath: string,
  { file: existing, unreadable }: Existing,
  env: Env,
  options: SetupOptions,
): Promise<number> {
  const given = options.answers;
  const defaultIndex = Math.max(0, ORDER.indexOf(existing?.provider ?? 'sambanova'));
  const provider = await answer(
    io,
    given,
    'provider',
    `Provider [1-${ORDER.length}, default ${defaultIndex + 1}]: `,
    (a) => {
      if (a === '') return ORDER[defaultIndex] ?? 'sambanova';
      const n = Number(a);
      const byNumber = Number.isInteger(n) ? ORDER[n - 1] : undefined;
      const byName = ORDER.find(
        (id) => id === a.toLowerCase() || PROVIDERS[id].label.toLowerCase() === a.toLowerCase(),
      );
      return (
        byNumber ?? byName ?? new Error(`choose 1-${ORDER.length} or one of ${ORDER.join(', ')}`)
      );
    },
  );
  if (provider instanceof Error) return fail(io, provider.message);
  const info = PROVIDERS[provider];

  const sameProvider = existing?.provider === provider;
  const defaultUrl = (sameProvider ? existing?.baseUrl : undefined) ?? info.baseUrl;
  const baseUrl = await answer(
    io,
    given,
    'baseUrl',
    `Base URL${defaultUrl ? ` [${defaultUrl}]` : ''}: `,
    (a) => {
      const text = a === '' ? defaultUrl : a;
      if (!text) return new Error('a base URL is needed, e.g. http://localhost:8000/v1');
      if (hasCredentials(text)) return new Error(CREDENTIALS_REFUSED);
      if (!isHttpUrl(text)) return new Error(`not an http(s) URL: ${maskUrl(text)}`);
      return text.replace(/\/+$/, '');
    },
  );
  if (baseUrl instanceof Error) return fail(io, baseUrl.message);

  const envKey = info.keyEnv ? env[info.keyEnv]?.trim() : undefined;
  let keyAnswer = '';
  if (!given) {
    const keyPrompt = info.local
      ? 'API key (Enter for none): '
      : info.keyEnv
        ? `API key (Enter to use $${info.keyEnv}${envKey ? ', which is set' : ', which is NOT set'}): `
        : 'API key (Enter for none): ';
    const typed = await (io.askSecret ?? io.ask).call(io, keyPrompt);
    if (typed === null) throw new EndOfInput('the API key question');
    keyAnswer = typed.trim();
  }
  const apiKey = keyAnswer || (sameProvider ? existing?.apiKey : undefined);
  if (keyAnswer) io.write('key: recorded (not shown)');

  const key = apiKey ?? envKey;
  const served = await (
    options.listModels
      ? options.listModels(baseUrl, key).then(cleanModelIds)
      : fetchModelIds(baseUrl, key, LIST_TIMEOUT_MS)
  ).catch((): ServedModels => ({ ids: [], hidden: 0 }));
  if (served.ids.length > 0 || served.hidden > 0)
    io.write(`the server lists: ${describeModels(served, 8)}`);
  const defaultModel =
    (sameProvider ? existing?.model : undefined) ?? info.model ?? served.ids[0] ?? null;
  const model = await answer(
    io,
    given,
    'model',
    `Model${defaultModel ? ` [${defaultModel}]` : ''}: `,
    (a) => {
      const text = a === '' ? defaultModel : a;
      if (!text) return new Error('a model name is needed');
      return isPlainModelId(text)
        ? text
        : new Error('a model name is plain text, without control characters');
    },
  );
  if (model instanceof Error) return fail(io, model.message);

  // Tuning fields from an earlier file (timeouts, tokens...) are kept; the endpoint is replaced.
  const { provider: _p, baseUrl: _b, model: _m, apiKey: _k, ...tuning } = existing ?? {};
  const file: ConfigFile = { ...tuning, provider, baseUrl, model, ...(apiKey ? { apiKey } : {}) };

  // A config that cannot start is never written: plain hybrid-tui would refuse to run with it.
  let config: LlmConfig;
  try {
    config = resolveLlmConfig({ flags: {}, env, configFile: file });
  } catch (err) {
    const why = err instanceof ConfigError ? err.why : String(err);
    return fail(io, `${why}${info.keyEnv ? ' or enter one' : ''}; nothing was written`);
  }
  try {
    // A file that did not parse is the user's own text: set aside, never overwritten.
    if (unreadable) io.write(`the old file is kept as ${setAside(configPath)}`);
    writeConfig(configPath, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? oneLine(String(err), 80);
    return fail(io, `cannot write ${configPath} (${code})`);
  }
  io.write(`wrote ${configPath} (mode 0600)`);
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

interface Existing {
  file: ConfigFile | null;
  /** There is a file, but not a config this version reads: it is set aside before writing. */
  unreadable: boolean;
}

function readExisting(path: string, io: LineOut): Existing {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { file: null, unreadable: false };
  }
  try {
    return { file: parseConfigText(text, path), unreadable: false };
  } catch (err) {
    io.write(
      `note: ${err instanceof Error ? err.message : String(err)}; a new one will be written and this one kept beside it`,
    );
    return { file: null, unreadable: true };
  }
}

/** Renames `path` to the first free `path.bad`, `path.bad.2`, ...; returns the new name. */
function setAside(path: string): string {
  for (let n = 1; ; n++) {
    const aside = n === 1 ? `${path}.bad` : `${path}.bad.${n}`;
    if (existsSync(aside)) continue;
    renameSync(path, aside);
    return aside;
  }
}

/**
 * One answer: given on the command line (checked once), or asked up to MAX_TRIES times. Throws
 * EndOfInput when the input ends first.
 */
async function answer<T>(
  io: SetupIo,
  given: SetupAnswers | undefined,
  field: keyof SetupAnswers,
  question: string,
  check: (answer: string) => T | Error,
): Promise<T | Error> {
  if (given) {
    const result = check((given[field] ?? '').trim());
    return result instanceof Error ? new Error(`--${flagName(field)}: ${result.message}`) : result;
  }
  let last: Error = new Error('no answer');
  for (let i = 0; i < MAX_TRIES; i++) {
    const text = await io.ask(question);
    if (text === null) throw new EndOfInput(`the ${flagName(field)} question`);
    const result = check(text.trim());
    if (!(result instanceof Error)) return result;
    last = result;
    io.write(`  ${result.message}`);
  }
  return last;
}

function flagName(field: keyof SetupAnswers): string {
  return field === 'baseUrl' ? 'base-url' : field;
}

function fail(io: LineOut, reason: string): number {
  io.write(`setup: ${reason}`);
  return 2;
}
