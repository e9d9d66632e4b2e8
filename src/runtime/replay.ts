// --replay: run the same core again from a recording. The recorded answers stand in for the
// model (delivered after the same simulated delay) and recorded keypresses are re-issued at their
// simulated times, so the replay reaches the same decisions without any LLM.
import { offlineAnswer } from '../agents/offline.js';
import { parseAnswer } from '../agents/parse.js';
import type { UserCommand } from '../core/commands.js';
import type {
  HybridEvent,
  LlmRequestEvent,
  LlmResponseEvent,
  RunStartEvent,
} from '../core/events.js';
import type { AskEffect } from '../core/io.js';
import { DEFAULT_JAIL_HEIGHTS, DEFAULT_NETWORK, type CoreConfig } from '../core/state.js';
import { nodeFromWire } from '../core/wire.js';
import type { AgentLabel, CallHost, CallRunner } from './calls.js';

export class RecordingError extends Error {
  override name = 'RecordingError';
}

export interface Recording {
  start: RunStartEvent;
  requests: Map<string, LlmRequestEvent>;
  responses: Map<string, LlmResponseEvent>;
  commands: { at: number; command: UserCommand }[];
  decisions: HybridEvent[];
}

/** Reads a recording; a line cut short by a kill at the very end is tolerated, any other bad line is not. */
export function parseRecording(text: string, file: string): Recording {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const events: HybridEvent[] = [];
  lines.forEach((line, i) => {
    try {
      events.push(JSON.parse(line) as HybridEvent);
    } catch {
      if (i < lines.length - 1) throw new RecordingError(`${file}: line ${i + 1} is not JSON`);
    }
  });
  const start = events.find((e): e is RunStartEvent => e.type === 'run_start');
  if (!start?.config)
    throw new RecordingError(
      `${file}: no run_start event with a config (not a hybrid-tui recording?)`,
    );
  const rec: Recording = {
    start,
    requests: new Map(),
    responses: new Map(),
    commands: [],
    decisions: [],
  };
  for (const e of events) {
    if (e.type === 'llm_request') rec.requests.set(e.call_id, e);
    else if (e.type === 'llm_response') rec.responses.set(e.call_id, e);
    else if (e.type === 'decision') rec.decisions.push(e);
    else if (e.type === 'fault' && e.by === 'user')
      rec.commands.push({
        at: e.t,
        command: { type: 'inject', agent: e.agent, kind: e.kind, durationMs: e.duration_ms },
      });
    else if (e.type === 'recovered' && e.by === 'user')
      rec.commands.push({ at: e.t, command: { type: 'recover', agent: e.agent } });
    else if (e.type === 'release' && e.by === 'user')
      rec.commands.push({ at: e.t, command: { type: 'release', agent: e.agent } });
    else if (e.type === 'protocol' && e.by === 'user')
      rec.commands.push({ at: e.t, command: { type: 'set_protocol', protocol: e.protocol } });
  }
  return rec;
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

  constructor(private readonly rec: Recording) {
    this.model = rec.start.model;
  }

  describe(agent: string): AgentLabel {
    const a = this.rec.start.agents.find((x) => x.id === agent);
    if (a?.model === undefined) return { model: this.model, endpoint: null };
    return { model: a.model, endpoint: a.endpoint ?? null };
  }

  start(ask: AskEffect, host: CallHost): void {
    const req = this.rec.requests.get(ask.callId);
    const res = this.rec.responses.get(ask.callId);
    const begin = host.now();
    if (req) host.emit({ ...stripT(req) });
    // A call the recording never answered (the run was stopped first) stays unanswered.
    if (!req || !res) return;
    host.at(begin + Math.max(0, res.t - req.t), () => {
      host.emit(stripT(res));
      const parsed = parseAnswer(res.raw, ask.phase);
      host.deliver(ask.callId, parsed.ok ? parsed.answer : offlineAnswer(ask.request));
    });
  }

  cancel(): void {}

  cancelAll(): void {}

  inFlight(): number {
    return 0;
  }
}

function stripT<E extends { t: number }>(e: E): Omit<E, 't'> {
  const { t: _t, ...rest } = e;
  return rest;
}
