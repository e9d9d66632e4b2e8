// The command line: a stable contract (DESIGN.md). node:util's parseArgs does the parsing; this
// file turns its errors and every bad value into one line naming the option.
import { parseArgs } from 'node:util';
import { CREDENTIALS_REFUSED, hasCredentials, maskUrl } from '../agents/config-checks.js';
import { ADVERSARIES, type Adversary, type Protocol } from '../core/types.js';
import type { Speed } from '../runtime/control.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliOptions {
  command: 'run' | 'check' | 'setup' | 'sweep';
  /** `sweep`'s own arguments, parsed by src/sweep/args.ts. */
  sweepArgv: string[];
  headless: boolean;
  json: boolean;
  scenario: string;
  rounds: number | null;
  protocol: Protocol | null;
  seed: number | null;
  speed: Speed | null;
  offline: boolean;
  baseUrl?: string;
  model?: string;
  /** --agent-model ID=NAME and --agent-base-url ID=URL, by agent id (checked against the agents later). */
  agentEndpoints: Record<string, { model?: string; baseUrl?: string }>;
  concurrency: number | null;
  timeoutS?: number;
  maxTokens?: number;
  temperature?: number;
  byzantineRate: number;
  faultDurationMs: [number, number];
  adversary: Adversary | null;
  quorum: number | null;
  offlineNoise: number;
  /** bft: heights a jailed agent sits out; null: the scenario's, else the default. */
  jailHeights: number | null;
  record: string | null;
  /** --record may replace an existing file. */
  force: boolean;
  replay: string | null;
  /** setup: answer from flags, ask nothing. */
  nonInteractive: boolean;
  /** setup --non-interactive: the provider. */
  provider?: string;
  help: boolean;
  version: boolean;
}

const OPTIONS = {
  headless: { type: 'boolean' },
  json: { type: 'boolean' },
  scenario: { type: 'string' },
  rounds: { type: 'string' },
  protocol: { type: 'string' },
  seed: { type: 'string' },
  speed: { type: 'string' },
  offline: { type: 'boolean' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'agent-model': { type: 'string', multiple: true },
  'agent-base-url': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  'byzantine-rate': { type: 'string' },
  'fault-duration': { type: 'string' },
  adversary: { type: 'string' },
  quorum: { type: 'string' },
  'offline-noise': { type: 'string' },
  'jail-heights': { type: 'string' },
  record: { type: 'string' },
  force: { type: 'boolean' },
  replay: { type: 'string' },
  'non-interactive': { type: 'boolean' },
  provider: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

export function parseCli(argv: string[]): CliOptions {
  // `sweep` has options of its own: everything after it is the sweep's to parse, but for
  // --version, which means the same for every command.
  if (argv[0] === 'sweep') {
    const sweepArgv = argv.slice(1);
    const version = sweepArgv.includes('--version') || sweepArgv.includes('-V');
    return { ...parseCli([]), command: 'sweep', sweepArgv, version };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(describeParseError(err as Error & { code?: string }));
  }
  const v = parsed.values;
  const [command = 'run', ...extra] = parsed.positionals;
  if (command !== 'run' && command !== 'check' && command !== 'setup')
    throw new UsageError(`unknown command "${command}" (commands: check, setup, sweep)`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if ((v['non-interactive'] || v.provider !== undefined) && command !== 'setup')
    throw new UsageError('--non-interactive and --provider belong to hybrid-tui setup');
  if (v.record !== undefined && v.replay !== undefined)
    throw new UsageError('--record and --replay cannot be used together');
  return {
    command,
    sweepArgv: [],
    headless: Boolean(v.headless || v.json),
    json: Boolean(v.json),
    scenario: v.scenario ?? 'tour',
    rounds: v.rounds === undefined ? null : int('--rounds', v.rounds, 1, 10_000_000),
    protocol:
      v.protocol === undefined
        ? null
        : oneOf('--protocol', v.protocol, ['classic', 'bft'] as const),
    seed: v.seed === undefined ? null : int('--seed', v.seed, 0, 2 ** 32 - 1),
    speed: v.speed === undefined ? null : speed(v.speed),
    offline: Boolean(v.offline),
    ...(v['base-url'] !== undefined ? { baseUrl: url('--base-url', v['base-url']) } : {}),
    ...(v.model !== undefined ? { model: nonEmpty('--model', v.model) } : {}),
    agentEndpoints: agentEndpoints(v['agent-model'] ?? [], v['agent-base-url'] ?? []),
    concurrency: v.concurrency === undefined ? null : int('--concurrency', v.concurrency, 1, 256),
    ...(v.timeout !== undefined ? { timeoutS: num('--timeout', v.timeout, 0.1, 600) } : {}),
    ...(v['max-tokens'] !== undefined
      ? { maxTokens: int('--max-tokens', v['max-tokens'], 1, 32_768) }
      : {}),
    ...(v.temperature !== undefined
      ? { temperature: num('--temperature', v.temperature, 0, 2) }
      : {}),
    byzantineRate:
      v['byzantine-rate'] === undefined ? 0.7 : num('--byzantine-rate', v['byzantine-rate'], 0, 1),
    faultDurationMs:
      v['fault-duration'] === undefined
        ? [15_000, 30_000]
        : range('--fault-duration', v['fault-duration']),
    adversary: v.adversary === undefined ? null : oneOf('--adversary', v.adversary, ADVERSARIES),
    quorum: v.quorum === undefined ? null : quorum(v.quorum),
    offlineNoise:
      v['offline-noise'] === undefined ? 0 : num('--offline-noise', v['offline-noise'], 0, 1),
    jailHeights:
      v['jail-heights'] === undefined
        ? null
        : int('--jail-heights', v['jail-heights'], 1, 1_000_000),
    record: v.record ?? null,
    force: Boolean(v.force),
    replay: v.replay ?? null,
    nonInteractive: Boolean(v['non-interactive']),
    ...(v.provider !== undefined ? { provider: v.provider } : {}),
    help: Boolean(v.help),
    version: Boolean(v.version),
  };
}

function describeParseError(err: Error & { code?: string }): string {
  const quoted = /'(-[^']*)'/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? ''} (see hybrid-tui --help)`.replace('  ', ' ');
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${quoted?.split(' ')[0] ?? 'an option'} needs a value`;
    default:
      return err.message.split('\n')[0] ?? 'bad arguments';
  }
}

function num(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`${flag}: "${text}" is not a number`);
  if (n < min || n > max)
    throw new UsageError(`${flag}: ${text} is out of range (${min} to ${max})`);
  return n;
}

function int(flag: string, text: string, min: number, max: number): number {
  const n = num(flag, text, min, max);
  if (!Number.isInteger(n)) throw new UsageError(`${flag}: "${text}" is not a whole number`);
  return n;
}

function oneOf<T extends string>(flag: string, text: string, values: readonly T[]): T {
  if (!(values as readonly string[]).includes(text))
    throw new UsageError(`${flag}: "${text}" is not one of ${values.join(', ')}`);
  return text as T;
}

function speed(text: string): Speed {
  if (text === 'max') return 'max';
  const n = Number(text.replace(/x$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n > 1000)
    throw new UsageError(`--speed: "${text}" is not a number above 0 (up to 1000) or "max"`);
  return n;
}

function quorum(text: string): number {
  const f = num('--quorum', text, -Infinity, Infinity);
  if (f < 0.5 || f >= 1) throw new UsageError(`--quorum: ${text} is out of range (0.5 to below 1)`);
  return f;
}

function range(flag: string, text: string): [number, number] {
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag}: "${text}" is not MIN-MAX in seconds (e.g. 15-30)`);
  const lo = Number(m[1]);
  const hi = Number(m[2] ?? m[1]);
  if (hi < lo || lo <= 0 || hi > 86_400)
    throw new UsageError(`${flag}: "${text}" needs 0 < MIN <= MAX <= 86400 seconds`);
  return [Math.round(lo * 1000), Math.round(hi * 1000)];
}

function url(flag: string, text: string): string {
  if (hasCredentials(text)) throw new UsageError(`${flag}: ${CREDENTIALS_REFUSED}`);
  try {
    const u = new URL(text);
    if (u.protocol === 'http:' || u.protocol === 'https:') return text;
  } catch {
    // fall through to the one-line error
  }
  throw new UsageError(`${flag}: "${maskUrl(text)}" is not an http(s) URL`);
}

function agentEndpoints(
  models: readonly string[],
  urls: readonly string[],
): CliOptions['agentEndpoints'] {
  const out: CliOptions['agentEndpoints'] = {};
  const pair = (flag: string, text: string, example: string): [string, string] => {
    const m = /^([A-Za-z0-9_.-]{1,40})=(.+)$/.exec(text);
    if (!m) throw new UsageError(`${flag}: "${text}" is not AGENT=VALUE (e.g. ${example})`);
    return [m[1] as string, m[2] as string];
  };
  for (const text of models) {
    const [id, model] = pair('--agent-model', text, 'alpha=llama3.2');
    out[id] = { ...out[id], model: nonEmpty('--agent-model', model) };
  }
  for (const text of urls) {
    const [id, baseUrl] = pair('--agent-base-url', text, 'alpha=http://localhost:11434/v1');
    out[id] = { ...out[id], baseUrl: url('--agent-base-url', baseUrl) };
  }
  return out;
}

function nonEmpty(flag: string, text: string): string {
  if (text.trim() === '') throw new UsageError(`${flag} needs a value`);
  return text;
}

export const HELP = `hybrid-tui — LLM agents reaching Byzantine-fault-tolerant consensus, live in your terminal

Usage:
  hybrid-tui [options]          the dashboard (headless narrative when stdout is not a terminal)
  hybrid-tui check              test every endpoint of the run: reachable, model, JSON mode, latency
  hybrid-tui setup              guided configuration written to your config file (mode 0600)
  hybrid-tui setup --non-interactive --provider P --base-url URL --model M
                                the same without questions (the key from the environment)
  hybrid-tui sweep [SPEC]       a grid of headless runs into CSV, Markdown and SVG (sweep --help)

Options:
  --headless                    the original demo's narrative as plain text
  --json                        JSON Lines events on stdout (implies --headless)
  --scenario NAME|FILE          tour (default), healthy, attack, recovery, overload, chaos, or a JSON/YAML file
  --rounds N                    run N rounds of the scenario's job mix, then a summary
  --protocol classic|bft        starting protocol (scenarios may switch it)
  --seed N                      PRNG seed (printed when not given)
  --speed N|max                 simulated-time multiplier (dashboard default 1, headless default max)
  --offline                     never call an LLM
  --base-url URL  --model NAME  any OpenAI-compatible endpoint (keys from the environment only)
  --agent-model ID=NAME         one agent's own model ("offline" for the heuristic); repeatable
  --agent-base-url ID=URL       one agent's own endpoint; repeatable
  --concurrency N               parallel LLM calls per phase (1 = the original's sequential order)
  --timeout S                   bound on one LLM call, retries included (default 30)
  --max-tokens N                response limit (default 500 proposals, 300 votes)
  --temperature T               sampling temperature (default 0)
  --byzantine-rate P            chance a byzantine agent corrupts an answer (default 0.7)
  --fault-duration MIN-MAX      seconds a fault lasts before recovery (default 15-30)
  --adversary KIND              what byzantine agents do: original (classic default), strategic,
                                equivocate (bft default), silent
  --quorum F                    commit on strictly more than F of the weight, 0.5 <= F < 1
                                (default: classic >= 2/3, bft > 2/3); 0.5 lets a fork through
  --offline-noise P             offline agents propose a valid non-best node with chance P (default 0)
  --jail-heights N              bft: heights an agent jailed on evidence sits out (default 10)
  --record FILE                 write the JSON Lines event log as it happens (never replaces a file)
  --force                       with --record: replace an existing file
  --replay FILE                 play a recording back (no LLM needed)
  -h, --help  -V, --version

Keys (environment): SAMBANOVA_API_KEY, OPENAI_API_KEY (+ OPENAI_BASE_URL), HYBRID_TUI_API_KEY.
Exit codes: 0 done, 1 runtime failure, 2 usage or configuration error.`;
