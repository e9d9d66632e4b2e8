// --replay: run the same core again from a recording. The recorded answers stand in for the
// model (delivered after the same simulated delay) and recorded keypresses are re-issued at their
// simulated times, so the replay reaches the same decisions without any LLM.
//
// A recording is read twice, line by line and never whole (it may be larger than a string can
// be): once up front to check every line against the format (recording-schema.ts) and keep the
// little a replay needs before it starts, and again lazily while the replay runs, for the
// recorded answers as each call comes up.
import { statSync } from 'node:fs';
import { offlineAnswer } from '../agents/offline.js';
import { parseAnswer } from '../agents/parse.js';
import type {
  DecisionEvent,
  HybridEvent,
  LlmRequestEvent,
  LlmResponseEvent,
  RunStartEvent,
} from '../core/events.js';
import type { AskEffect } from '../core/io.js';
import { DEFAULT_JAIL_HEIGHTS, DEFAULT_NETWORK, type CoreConfig } from '../core/state.js';
import { nodeFromWire } from '../core/wire.js';
import type { AgentLabel, CallHost, CallRunner } from './calls.js';
import { LineReader, LineTooLongError } from './line-reader.js';
import { checkEvent, RECORDING_VERSION } from './recording-schema.js';
import { commandOf, type TimedCommand } from './user-commands.js';

export class RecordingError extends Error {
  override name = 'RecordingError';
}

export interface RecordingLimits {
  /** Largest recording accepted, checked before anything is read. */
  maxBytes: number;
  /** Longest line. */
  maxLineBytes: number;
  /** Bytes read at a time. */
  chunkBytes?: number;
}

export const RECORDING_LIMITS: RecordingLimits = {
  maxBytes: 4 * 1024 ** 3,
  maxLineBytes: 16 * 1024 ** 2,
};

export interface Recording {
  file: string;
  limits: RecordingLimits;
  start: RunStartEvent;
  commands: TimedCommand[];
  /** In order, as recorded: what the replay's own decisions are compared with. */
  decisions: DecisionEvent[];
  /** Calls the recording has an answer for. */
  answered: Set<string>;
  /** Simulated time of the last event: where the replay ends. */
  lastT: number;
  /** Its last event is the run's summary; false when the run was cut short (killed, disk full). */
  complete: boolean;
}

/** Checks every line of a recording and keeps what a replay needs before it starts. */
export function loadRecording(file: string, limits: RecordingLimits = RECORDING_LIMITS): Recording {
  const fail = (message: string): never => {
    throw new RecordingError(`${file}: ${message}`);
  };
  let size = 0;
  try {
    size = statSync(file).size;
  } catch (err) {
    fail(`cannot read recording (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > limits.maxBytes)
    fail(`recording is ${mib(size)}, over the ${mib(limits.maxBytes)} limit`);

  let start: RunStartEvent | null = null;
  const rec = {
    commands: [] as Recording['commands'],
    decisions: [] as DecisionEvent[],
    answered: new Set<string>(),
    lastT: 0,
    complete: false,
  };
  for (const event of events(file, limits, fail)) {
    if (start === null) {
      start = event as RunStartEvent;
      const version = start.recording_version ?? 1;
      if (version > RECORDING_VERSION)
        fail(
          `recording version ${version} is newer than this hybrid-tui reads (${RECORDING_VERSION})`,
        );
    }
    rec.lastT = Math.max(rec.lastT, event.t);
    rec.complete = event.type === 'summary';
    if (event.type === 'llm_response') rec.answered.add(event.call_id);
    else if (event.type === 'decision') rec.decisions.push(event);
    const command = commandOf(event);
    if (command) rec.commands.push(command);
  }
  if (start === null) return fail('no run_start event (not a hybrid-tui recording?)');
  return { file, limits, start, ...rec };
}

/** Every event line, checked; a last line cut short by a kill is left out, any other bad line is an error. */
function* events(
  file: string,
  limits: RecordingLimits,
  fail: (message: string) => never,
): Generator<HybridEvent> {
  let reader: LineReader;
  try {
    reader = new LineReader(file, limits.maxLineBytes, limits.chunkBytes);
  } catch (err) {
    return fail(`cannot read recording (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let first = true;
  try {
    for (let l = nextLine(reader, fail); l !== null; l = nextLine(reader, fail)) {
      if (l.text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(l.text);
      } catch {
        if (!l.terminated) return;
        return fail(`line ${l.number} is not JSON`);
      }
      if (first && (value as { type?: unknown } | null)?.type !== 'run_start')
        fail(`no run_start event on line ${l.number} (not a hybrid-tui recording?)`);
      first = false;
      const problem = checkEvent(value);
      if (problem !== null) fail(`line ${l.number}: ${problem}`);
      yield value as HybridEvent;
    }
  } finally {
    reader.close();
  }
}

function nextLine(reader: LineReader, fail: (message: string) => never) {
  try {
    return reader.next();
  } catch (err) {
    if (err instanceof LineTooLongError) return fail(err.message);
    throw err;
  }
}

export function configFromRecording(rec: Recording): CoreConfig {
  const s = rec.start;
  return {
    seed: s.seed,
    agents: s.agents.map((a) => ({
      id: a.id,
      name: a.name,
      specialty: a.specialty,
      weight: a.weight,
    })),
    nodes: s.nodes.map(nodeFromWire),
    jobs: s.config.jobs,
    scenario: s.config.scenario,
    protocol: s.protocol,
    byzantineRate: s.config.byzantine_rate,
    faultDurationMs: s.config.fault_duration_ms,
    freePlay: s.config.free_play,
    maxRounds: s.config.max_rounds,
    timing: s.config.timing,
    // Recordings made before issue 7 carry none of these: the defaults they ran with.
    adversary: s.config.adversary ?? null,
    quorum: s.config.quorum ?? null,
    offlineNoise: s.config.offline_noise ?? 0,
    network: s.config.network
      ? {
          minDelayMs: s.config.network.min_delay_ms,
          maxDelayMs: s.config.network.max_delay_ms,
          loss: s.config.network.loss,
        }
      : DEFAULT_NETWORK,
    jailHeights: s.config.jail_heights ?? DEFAULT_JAIL_HEIGHTS,
  };
}

export class ReplayCalls implements CallRunner {
  readonly mode = 'replay' as const;
  readonly model: string | null;
  /** Answers read ahead of the call that needs them, by kind and call id. */
  private readonly ahead = new Map<string, LlmRequestEvent | LlmResponseEvent>();
  private reader: LineReader | null = null;

  constructor(private readonly rec: Recording) {
    this.model = rec.start.model;
  }

  describe(agent: string): AgentLabel {
    const a = this.rec.start.agents.find((x) => x.id === agent);
    if (a?.model === undefined) return { model: this.model, endpoint: null };
    return { model: a.model, endpoint: a.endpoint ?? null };
  }

  start(ask: AskEffect, host: CallHost): void {
    const req = this.take('llm_request', ask.callId);
    // A call the recording never answered (the run was stopped first) stays unanswered.
    const res = this.rec.answered.has(ask.callId)
      ? this.take('llm_response', ask.callId)
      : undefined;
    const begin = host.now();
    if (req) host.emit({ ...stripT(req) });
    if (!req || !res) return;
    host.at(begin + Math.max(0, res.t - req.t), () => {
      host.emit(stripT(res));
      const parsed = parseAnswer(res.raw, ask.phase);
      host.deliver(ask.callId, parsed.ok ? parsed.answer : offlineAnswer(ask.request));
    });
  }

  cancel(): void {}

  cancelAll(): void {
    this.reader?.close();
  }

  inFlight(): number {
    return 0;
  }

  /** The recorded event of this kind for this call, reading on through the file as needed. */
  private take<K extends 'llm_request' | 'llm_response'>(
    kind: K,
    callId: string,
  ): Extract<HybridEvent, { type: K }> | undefined {
    const key = `${kind} ${callId}`;
    for (;;) {
      const found = this.ahead.get(key);
      if (found) {
        this.ahead.delete(key);
        return found as Extract<HybridEvent, { type: K }>;
      }
      const next = this.readAnswer();
      if (next === null) return undefined;
      this.ahead.set(`${next.type} ${next.call_id}`, next);
    }
  }

  /** The next llm_request or llm_response in the file, or null at its end. */
  private readAnswer(): LlmRequestEvent | LlmResponseEvent | null {
    this.reader ??= new LineReader(
      this.rec.file,
      this.rec.limits.maxLineBytes,
      this.rec.limits.chunkBytes,
    );
    for (;;) {
      let line;
      try {
        line = this.reader.next();
      } catch {
        return null; // the file changed since it was checked: the replay goes on without it
      }
      if (line === null) return null;
      // Most lines are other events: skip them without parsing.
      if (!line.text.includes('"llm_re')) continue;
      try {
        const e = JSON.parse(line.text) as HybridEvent;
        if (e.type === 'llm_request' || e.type === 'llm_response') return e;
      } catch {
        // a last line cut short
      }
    }
  }
}

function stripT<E extends { t: number }>(e: E): Omit<E, 't'> {
  const { t: _t, ...rest } = e;
  return rest;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
