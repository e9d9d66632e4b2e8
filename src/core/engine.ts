// The deterministic core: inputs in, events and effects out. It runs the scenario script,
// starts rounds, and routes timers, answers and commands. No I/O, no clock, no ambient randomness.
import type { UserCommand } from './commands.js';
import type { Ctx } from './context.js';
import type { HybridEvent } from './events.js';
import { ProposerPriority } from './bft/proposer.js';
import { release } from './bft/jail.js';
import { networkScratch } from './bft/network.js';
import { inject, recover, recoveryTarget } from './faults.js';
import type { Effect, Input, Output } from './io.js';
import { packedMap } from './packed.js';
import { nextFloat, pick, seedPrng } from './prng.js';
import { onAnswer, onRoundTimer, startRound } from './round.js';
import {
  MAIN_NETWORK,
  type AgentState,
  type CoreConfig,
  type CoreState,
  type Stats,
} from './state.js';
import type { AgentSpec, FaultKind, JobSpec } from './types.js';

/**
 * The agents' states, packed whatever the tier (packed.ts): a long-lived process (a sweep worker)
 * met both kinds from Array.prototype.map, and every optimised function that reads the agents
 * deoptimised at the flip, about 60 at a time (bench/sweep.ts: 2 workers over 1 on warm pools
 * went from 1.53-1.57x to 1.60-1.67x). Exported for test/core/engine-shape.test.ts.
 */
export function initialAgents(specs: readonly AgentSpec[]): AgentState[] {
  return packedMap(specs, (spec, order) => ({
    spec,
    order,
    fault: null,
    faultUntil: 0,
    faultGen: 0,
    jailedUntil: null,
    links: MAIN_NETWORK,
    adversary: null,
    scripted: false,
    calls: 0,
  }));
}

export class Engine {
  readonly cfg: CoreConfig;
  private readonly s: CoreState;
  private readonly ctx: Ctx;
  private out: Output = { events: [], effects: [], now: 0 };
  /** The current input's horizon (Input.horizon): -Infinity when it has none. */
  private horizon = -Infinity;
  private readonly sectionTotal: number;
  private sectionIndex = 0;
  /** The job of the current `rounds` step; null means the job mix. */
  private stepJob: JobSpec | null = null;

  constructor(cfg: CoreConfig) {
    this.cfg = cfg;
    this.s = {
      now: 0,
      rng: seedPrng(cfg.seed),
      agents: initialAgents(cfg.agents),
      agentsById: new Map(),
      protocol: cfg.protocol,
      adversary: cfg.adversary ?? cfg.scenario.adversary ?? null,
      quorum: cfg.quorum ?? cfg.scenario.quorum ?? null,
      proposerPriority: new ProposerPriority(),
      candidateCache: new Map(),
      networkScratch: networkScratch(),
      pc: 0,
      roundsLeftInStep: 0,
      roundsStarted: 0,
      round: null,
      calls: new Map(),
      waiting: { kind: 'none' },
      scenarioDone: false,
      finished: false,
      timerSeq: 0,
      stats: {
        rounds: 0,
        committed: 0,
        invalidCommits: 0,
        noDecision: 0,
        truePositives: 0,
        flagged: 0,
        corrupted: 0,
        forks: 0,
        regretSum: 0,
        regretCount: 0,
        bestCommits: 0,
        jailed: 0,
      },
    };
    for (const agent of this.s.agents) this.s.agentsById.set(agent.spec.id, agent);
    this.sectionTotal = cfg.scenario.steps.filter((st) => st.type === 'section').length;
    const totalWeight = cfg.agents.reduce((sum, a) => sum + a.weight, 0);
    this.ctx = {
      cfg,
      s: this.s,
      totalWeight,
      // Stamped in place: the event objects are fresh literals, and a copy per event costs.
      emit: (e) => {
        (e as HybridEvent).t = this.s.now;
        this.out.events.push(e as HybridEvent);
      },
      effect: (e) => this.out.effects.push(e),
      schedule: (kind, delayMs) => {
        const id = `${kind}:${++this.s.timerSeq}`;
        this.out.effects.push({ type: 'timer', id, at: this.s.now + delayMs });
        return id;
      },
      runAheadTo: (at) => {
        if (!(at < this.horizon) || this.out.effects.length > 0) return false;
        this.s.now = at;
        return true;
      },
    };
  }

  get totalWeight(): number {
    return this.ctx.totalWeight;
  }

  stats(): Readonly<Stats> {
    return this.s.stats;
  }

  isFinished(): boolean {
    return this.s.finished;
  }

  /** Read-only view for tests and the runtime (agents' faults, reputation, current phase). */
  view(): Readonly<CoreState> {
    return this.s;
  }

  handle(input: Input): Output {
    this.out = { events: [], effects: [], now: this.s.now };
    if (this.s.finished) return this.out;
    // Time never runs backwards, whatever order the runtime delivers inputs in.
    this.s.now = Math.max(this.s.now, input.now);
    this.horizon = input.horizon ?? -Infinity;
    switch (input.type) {
      case 'start':
        this.advance();
        break;
      case 'timer':
        this.onTimer(input.id);
        break;
      case 'answer':
        onAnswer(this.ctx, input.callId, input.answer);
        break;
      case 'command':
        this.onCommand(input.command, 'user');
        break;
      default: {
        const never: never = input;
        return never;
      }
    }
    this.out.now = this.s.now;
    return this.out;
  }

  private onTimer(id: string): void {
    const target = recoveryTarget(this.ctx, id);
    if (target) {
      recover(this.ctx, target, 'timer');
      this.checkRecoveryWait();
      return;
    }
    const w = this.s.waiting;
    if (w.kind === 'round') {
      // A pause after each round so a person can read the decision before the next one starts.
      if (onRoundTimer(this.ctx, id))
        this.s.waiting = {
          kind: 'timer',
          id: this.ctx.schedule('round-gap', this.cfg.timing.roundGapMs),
        };
    } else if (w.kind === 'timer' && w.id === id) {
      this.continueScript();
    } else if (w.kind === 'recovery' && w.timerId === id) {
      this.ctx.emit({
        type: 'wait',
        what: 'recovery',
        outcome: 'timeout',
        waited_ms: this.s.now - w.since,
      });
      this.continueScript();
    }
  }

  private onCommand(command: UserCommand, by: 'user' | 'scenario'): void {
    switch (command.type) {
      case 'inject': {
        const agent = this.agent(command.agent);
        if (agent) inject(this.ctx, agent, command.kind, command.durationMs, by, command);
        break;
      }
      case 'release': {
        const agent = this.agent(command.agent);
        if (agent) release(this.ctx, agent, 'user');
        break;
      }
      case 'recover': {
        const agent = this.agent(command.agent);
        if (agent) recover(this.ctx, agent, by);
        break;
      }
      case 'recover_all':
        for (const agent of this.s.agents) recover(this.ctx, agent, by);
        break;
      case 'set_protocol':
        if (this.s.protocol !== command.protocol) {
          this.s.protocol = command.protocol;
          this.ctx.emit({ type: 'protocol', protocol: command.protocol, by });
        }
        break;
      case 'toggle_protocol':
        this.onCommand(
          { type: 'set_protocol', protocol: this.s.protocol === 'classic' ? 'bft' : 'classic' },
          by,
        );
        break;
      default: {
        const never: never = command;
        return never;
      }
    }
    this.checkRecoveryWait();
  }

  private agent(id: string) {
    return this.s.agentsById.get(id);
  }

  private checkRecoveryWait(): void {
    const w = this.s.waiting;
    if (w.kind !== 'recovery' || this.s.agents.some((a) => a.fault !== null)) return;
    this.ctx.emit({
      type: 'wait',
      what: 'recovery',
      outcome: 'done',
      waited_ms: this.s.now - w.since,
    });
    this.continueScript();
  }

  private continueScript(): void {
    this.s.waiting = { kind: 'none' };
    this.advance();
  }

  /** Runs script steps until one has to wait (a round, a recovery wait) or the run ends. */
  private advance(): void {
    const { s, cfg } = this;
    while (s.waiting.kind === 'none' && !s.finished) {
      if (cfg.maxRounds !== null && s.roundsStarted >= cfg.maxRounds) return this.finish();
      if (s.roundsLeftInStep > 0) {
        s.roundsLeftInStep -= 1;
        this.beginRound(this.stepJob ?? this.mixJob());
        return;
      }
      const step = cfg.scenario.steps[s.pc];
      if (!step) {
        if (!s.scenarioDone) {
          s.scenarioDone = true;
          this.ctx.emit({
            type: 'scenario_end',
            free_play: cfg.freePlay || cfg.maxRounds !== null,
          });
        }
        if (!cfg.freePlay && cfg.maxRounds === null) return this.finish();
        this.beginRound(this.mixJob());
        return;
      }
      s.pc += 1;
      switch (step.type) {
        case 'section':
          this.sectionIndex += 1;
          this.ctx.emit({
            type: 'section',
            index: this.sectionIndex,
            total: this.sectionTotal,
            title: step.title,
            ...(step.caption !== undefined ? { caption: step.caption } : {}),
          });
          break;
        case 'inject':
          this.onCommand(
            {
              type: 'inject',
              agent: step.agent,
              kind: step.fault,
              durationMs: step.durationMs,
              ...(step.group ? { group: step.group } : {}),
              ...(step.bridge ? { bridge: step.bridge } : {}),
              ...(step.adversary ? { adversary: step.adversary } : {}),
              ...(step.scripted ? { scripted: true } : {}),
            },
            'scenario',
          );
          break;
        case 'quorum':
          s.quorum = step.quorum;
          this.ctx.emit({ type: 'quorum', quorum: step.quorum, by: 'scenario' });
          break;
        case 'adversary':
          s.adversary = step.adversary;
          break;
        case 'release':
          for (const a of s.agents)
            if (step.agent === 'all' || a.spec.id === step.agent) release(this.ctx, a, 'scenario');
          break;
        case 'recover':
          this.onCommand(
            step.agent === 'all' ? { type: 'recover_all' } : { type: 'recover', agent: step.agent },
            'scenario',
          );
          break;
        case 'rounds':
          s.roundsLeftInStep = step.count;
          this.stepJob = step.job !== undefined ? this.job(step.job) : null;
          break;
        case 'protocol':
          this.onCommand({ type: 'set_protocol', protocol: step.protocol }, 'scenario');
          break;
        case 'wait_recovery':
          if (s.agents.some((a) => a.fault !== null)) {
            const timerId = this.ctx.schedule('wait', step.maxMs);
            s.waiting = { kind: 'recovery', since: s.now, timerId };
            this.ctx.emit({ type: 'wait', what: 'recovery', outcome: 'started', waited_ms: 0 });
          } else {
            this.ctx.emit({ type: 'wait', what: 'recovery', outcome: 'done', waited_ms: 0 });
          }
          break;
        default: {
          const never: never = step;
          return never;
        }
      }
    }
  }

  private beginRound(job: JobSpec): void {
    this.maybeChaos();
    this.s.waiting = { kind: 'round' };
    startRound(this.ctx, job);
  }

  private maybeChaos(): void {
    const rate = this.cfg.scenario.chaosRate ?? 0;
    if (rate <= 0 || nextFloat(this.s.rng) >= rate) return;
    const healthy = this.s.agents.filter((a) => a.fault === null);
    if (healthy.length === 0) return;
    const agent = pick(this.s.rng, healthy);
    const kind = pick<FaultKind>(this.s.rng, ['byzantine', 'crash', 'slow']);
    inject(this.ctx, agent, kind, undefined, 'scenario');
  }

  private job(id: string): JobSpec {
    const job = this.cfg.jobs.find((j) => j.id === id);
    // Scenario files are validated against the job list before the engine sees them.
    if (!job) throw new Error(`unknown job ${id}`);
    return job;
  }

  private mixJob(): JobSpec {
    const mix = this.cfg.scenario.jobMix?.map((id) => this.job(id)) ?? this.cfg.jobs;
    return mix[this.s.roundsStarted % mix.length] as JobSpec;
  }

  private finish(): void {
    this.s.finished = true;
    this.out.effects.push({ type: 'finished' } satisfies Effect);
  }
}
