// From parsed options to a runtime ready to start: scenario, agents, endpoint or offline,
// or a recording to replay. Everything the user got wrong surfaces here as a one-line error.
import { closeSync, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { ConfigError, loadLlmConfig, type Env, type LlmConfig } from '../agents/config.js';
import { makeCoreConfig } from '../core/config.js';
import { BUILTIN_NAMES, BUILTIN_SCENARIOS } from '../core/scenario.js';
import { DEFAULT_AGENTS } from '../core/catalogue.js';
import { parseScenarioFile, ScenarioError, type LoadedScenario } from '../core/scenario-file.js';
import { DEFAULT_JAIL_HEIGHTS, DEFAULT_TIMING, type CoreConfig } from '../core/state.js';
import type { CallRunner } from '../runtime/calls.js';
import { OfflineCalls } from '../runtime/offline-calls.js';
import {
  configFromRecording,
  loadRecording,
  ReplayCalls,
  RecordingError,
  type Recording,
} from '../runtime/replay.js';
import { SweepError } from '../sweep/errors.js';
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
    jailHeights: opts.jailHeights ?? scenario.jailHeights ?? DEFAULT_JAIL_HEIGHTS,
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
/** `modelOptional`: for `check`, which lists the served models when none is chosen. */
export function loadAgentPlan(opts: CliOptions, env: Env, modelOptional = false): AgentPlan {
  return planFor(opts, env, loadLlmConfig(opts, env, modelOptional), loadScenario(opts.scenario));
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
  const recording = loadRecording(file);
  return {
    cfg: configFromRecording(recording),
    calls: new ReplayCalls(recording),
    freshCalls: () => new ReplayCalls(recording),
    llm: null,
    recording,
    recordingComplete: recording.complete,
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
  jailHeights?: number;
}

function loadScenario(nameOrFile: string): ScenarioChoice {
  const builtin = BUILTIN_SCENARIOS[nameOrFile];
  if (builtin) return { scenario: builtin };
  if (!nameOrFile.endsWith('.json') && !existsSync(nameOrFile)) {
    throw new UsageError(
      `--scenario: "${nameOrFile}" is neither a built-in (${BUILTIN_NAMES.join(', ')}) nor a file`,
    );
  }
  return parseScenarioFile(readScenarioText(nameOrFile), nameOrFile);
}

/** A scenario is a few KB; anything near this is not one, and is refused before it is read. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

function readScenarioText(file: string): string {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_SCENARIO_BYTES)
      throw new UsageError(
        `${file}: a scenario file is at most ${MAX_SCENARIO_BYTES / 1024} KB, this one is ${Math.round(size / 1024)} KB`,
      );
    // Editors on some systems start a UTF-8 file with a byte-order mark; it is not JSON.
    return readFileSync(fd, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `${file}: cannot read scenario file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Errors the user can fix: exit code 2 with their one-line message. */
export function isUserError(err: unknown): err is Error {
  return (
    err instanceof UsageError ||
    err instanceof ConfigError ||
    err instanceof ScenarioError ||
    err instanceof RecordingError ||
    err instanceof SweepError
  );
}
