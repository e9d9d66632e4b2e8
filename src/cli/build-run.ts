// From parsed options to a runtime ready to start: scenario, agents, endpoint or offline,
// or a recording to replay. Everything the user got wrong surfaces here as a one-line error.
import { readFileSync, existsSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import {
  ConfigError,
  loadConfigFile,
  resolveLlmConfig,
  type Env,
  type LlmConfig,
} from '../agents/config.js';
import { makeCoreConfig } from '../core/config.js';
import { BUILTIN_NAMES, BUILTIN_SCENARIOS } from '../core/scenario.js';
import { DEFAULT_AGENTS } from '../core/catalogue.js';
import { parseScenarioFile, ScenarioError, type LoadedScenario } from '../core/scenario-file.js';
import { DEFAULT_TIMING, type CoreConfig } from '../core/state.js';
import type { CallRunner } from '../runtime/calls.js';
import { OfflineCalls } from '../runtime/offline-calls.js';
import {
  configFromRecording,
  parseRecording,
  ReplayCalls,
  RecordingError,
  type Recording,
} from '../runtime/replay.js';
import type { CliOptions } from './args.js';
import { UsageError } from './args.js';
import { callsFor, planAgents, type AgentPlan } from './agent-plan.js';

export interface PreparedRun {
  cfg: CoreConfig;
  calls: CallRunner;
  llm: LlmConfig | null;
  recording: Recording | null;
  /** A replay's recording ends with the run's summary (false: it was cut short). */
  recordingComplete?: boolean;
  /** A fresh answer source of the same kind, for a rewound run (offline answers are recomputed). */
  freshCalls: () => CallRunner;
  /** One line for the header: offline and why, or the model. */
  modeLabel: string;
  secrets: string[];
}

export function loadLlmConfig(opts: CliOptions, env: Env): LlmConfig {
  const file = loadConfigFile(env);
  return resolveLlmConfig({
    flags: {
      offline: opts.offline,
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

/** `dashboard`: the run goes on in free play after the scenario, until the user quits. */
export function prepareRun(opts: CliOptions, env: Env, dashboard: boolean): PreparedRun {
  if (opts.replay !== null) return prepareReplay(opts.replay);
  const scenario = loadScenario(opts.scenario);
  const llm = loadLlmConfig(opts, env);
  const seed = opts.seed ?? randomInt(0, 2 ** 31);
  const planned = callsFor(planFor(opts, env, llm, scenario), opts.concurrency, {
    p: opts.offlineNoise,
    seed,
  });
  const cfg = makeCoreConfig({
    seed,
    ...(scenario.agents ? { agents: scenario.agents } : {}),
    ...(scenario.nodes ? { nodes: scenario.nodes } : {}),
    ...(scenario.jobs ? { jobs: scenario.jobs } : {}),
    scenario: scenario.scenario,
    protocol: opts.protocol ?? scenario.protocol ?? 'classic',
    byzantineRate: opts.byzantineRate,
    faultDurationMs: opts.faultDurationMs,
    adversary: opts.adversary,
    quorum: opts.quorum,
    offlineNoise: opts.offlineNoise,
    freePlay: dashboard,
    maxRounds: opts.rounds,
    // A phase waits for a model at most as long as a call may take, retries included, plus slack.
    timing: planned.llm
      ? { ...DEFAULT_TIMING, phaseDeadlineMs: llm.timeoutMs + 5_000 }
      : DEFAULT_TIMING,
  });
  return {
    cfg,
    calls: planned.calls,
    // Offline answers are recomputed from the seed; a model's calls go on through the same runner.
    freshCalls: () => (planned.calls.mode === 'offline' ? new OfflineCalls() : planned.calls),
    llm,
    recording: null,
    modeLabel: planned.modeLabel,
    secrets: planned.secrets,
  };
}

/** Who each agent of the scenario talks to (`check` probes these endpoints). */
export function loadAgentPlan(opts: CliOptions, env: Env): AgentPlan {
  return planFor(opts, env, loadLlmConfig(opts, env), loadScenario(opts.scenario));
}

function planFor(opts: CliOptions, env: Env, llm: LlmConfig, scenario: ScenarioChoice): AgentPlan {
  const agentIds = (scenario.agents ?? DEFAULT_AGENTS).map((a) => a.id);
  return planAgents(
    opts,
    env,
    llm,
    agentIds,
    scenario.endpoints
      ? {
          file: opts.scenario,
          endpoints: scenario.endpoints,
          ownAgents: scenario.ownAgents === true,
        }
      : null,
  );
}

function prepareReplay(file: string): PreparedRun {
  const text = readText(file, 'recording');
  const recording = parseRecording(text, file);
  return {
    cfg: configFromRecording(recording),
    calls: new ReplayCalls(recording),
    freshCalls: () => new ReplayCalls(recording),
    llm: null,
    recording,
    recordingComplete: endsWithSummary(text),
    modeLabel: 'replay',
    secrets: [],
  };
}

interface ScenarioChoice {
  scenario: CoreConfig['scenario'];
  protocol?: CoreConfig['protocol'];
  agents?: CoreConfig['agents'];
  nodes?: CoreConfig['nodes'];
  jobs?: CoreConfig['jobs'];
  endpoints?: LoadedScenario['endpoints'];
  /** Whether the file lists its own agents (rather than the defaults). */
  ownAgents?: boolean;
}

function loadScenario(nameOrFile: string): ScenarioChoice {
  const builtin = BUILTIN_SCENARIOS[nameOrFile];
  if (builtin) return { scenario: builtin };
  if (!nameOrFile.endsWith('.json') && !existsSync(nameOrFile)) {
    throw new UsageError(
      `--scenario: "${nameOrFile}" is neither a built-in (${BUILTIN_NAMES.join(', ')}) nor a file`,
    );
  }
  return parseScenarioFile(readText(nameOrFile, 'scenario file'), nameOrFile);
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${file}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** Errors the user can fix: exit code 2 with their one-line message. */
export function isUserError(err: unknown): err is Error {
  return (
    err instanceof UsageError ||
    err instanceof ConfigError ||
    err instanceof ScenarioError ||
    err instanceof RecordingError
  );
}

/** True when the last complete line of a recording is the run's summary. */
function endsWithSummary(text: string): boolean {
  const lines = text.trimEnd().split('\n');
  try {
    return (JSON.parse(lines[lines.length - 1] ?? '') as { type?: unknown }).type === 'summary';
  } catch {
    return false;
  }
}
