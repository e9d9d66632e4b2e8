// The headless narrative: the original demo's walkthrough, told from the event stream. Every
// piece of model text goes through stripControl before it is written.
import { stripControl, oneLine } from '../agents/sanitize.js';
import { plural } from '../core/plural.js';
import { quorumWords } from '../core/quorum.js';
import type {
  DecisionEvent,
  HybridEvent,
  RetryEvent,
  RunStartEvent,
  SummaryEvent,
} from '../core/events.js';
import { unansweredText, unfinished } from './summary-text.js';

const RULE = '='.repeat(70);
const THIN = '-'.repeat(40);
const PHASE_TITLES: Record<string, string> = {
  propose: 'PHASE 1: PROPOSAL COLLECTION',
  select: 'PHASE 2: VALIDATION AND CANDIDATE SELECTION',
  vote: 'PHASE 3: CONSENSUS VOTING',
  decide: 'PHASE 4: CONSENSUS EVALUATION',
};

interface AgentLine {
  name: string;
  specialty: string;
  weight: number;
  calls: number;
  fault: string | null;
  recoverAt: number;
}

export class NarrativePrinter {
  private agents = new Map<string, AgentLine>();
  private nodeIds = new Set<string>();
  /** Faults changed since the status table was last printed. */
  private statusDirty = false;

  private readonly write: (line: string) => void;

  constructor(
    write: (line: string) => void,
    /** Why the run is offline (no endpoint configured, --offline given), for the header. */
    private readonly offlineReason: string | null = null,
  ) {
    // Scenario files and recordings name agents, nodes, jobs and sections, and none of that is
    // trusted more than model text: every line is stripped of control sequences on its way out.
    this.write = (line) => write(stripControl(line));
  }

  on(e: HybridEvent): void {
    const say = this.write;
    switch (e.type) {
      case 'run_start':
        return this.runStart(e);
      case 'section':
        say('');
        say(`SCENARIO ${e.index}/${e.total}: ${e.title.toUpperCase()}`);
        say('-'.repeat(50));
        if (e.index === 1) this.status(e.t);
        return;
      case 'round_start':
        if (this.statusDirty) this.status(e.t);
        say('');
        say(`ROUND ${e.round} (${e.protocol}) — JOB: ${oneLine(e.job.description)}`);
        say(
          `  requires: >= ${e.job.min_gpus} GPUs, >= ${e.job.min_ram_gb} GB RAM, >= ${e.job.min_cpus} CPUs`,
        );
        return;
      case 'phase': {
        const title = PHASE_TITLES[e.phase];
        if (!title) return;
        say('');
        // Only bft goes on to a later attempt: a new round of the height, with the next proposer.
        say(e.attempt > 0 ? `${title} (bft round ${e.attempt + 1})` : title);
        say(THIN);
        return;
      }
      case 'llm_request': {
        const a = this.agent(e.agent);
        a.calls += 1;
        say('');
        say(
          `${a.name} ${e.phase === 'propose' ? 'generating proposal' : 'casting vote'}... [${e.source}${e.model ? ` ${oneLine(e.model, 60)}` : ''}${e.endpoint ? ` @ ${oneLine(e.endpoint, 60)}` : ''}]`,
        );
        say('PROMPT:');
        for (const line of stripControl(e.prompt).split('\n')) say(`  ${line}`);
        return;
      }
      case 'llm_delta':
        return;
      case 'llm_cancelled':
        say(
          `  ${this.agent(e.agent).name}: call cancelled, ${e.reason === 'deadline' ? 'the phase closed' : 'the height ended'} before its answer came`,
        );
        return;
      case 'llm_response': {
        const a = this.agent(e.agent);
        const label =
          e.source === 'llm'
            ? 'MODEL RESPONSE'
            : e.source === 'fallback'
              ? 'FALLBACK (offline heuristic)'
              : 'OFFLINE RESPONSE';
        if (e.error) say(`  ${a.name}: model answer not used: ${oneLine(e.error, 200)}`);
        if (e.rejected_raw) say(`  model said: ${oneLine(e.rejected_raw, 300)}`);
        const who = e.model
          ? `${oneLine(e.model, 60)}${e.endpoint ? ` @ ${oneLine(e.endpoint, 60)}` : ''}, `
          : '';
        say(
          `${label} from ${a.name} (${who}${(e.latency_ms / 1000).toFixed(2)} s${e.ttft_ms !== null ? `, first token ${(e.ttft_ms / 1000).toFixed(2)} s` : ''}${e.tokens ? `, ${e.tokens.prompt}+${e.tokens.completion} tokens` : ''}):`,
        );
        say(`  ${oneLine(e.raw, 1000)}`);
        return;
      }
      case 'proposal': {
        const a = this.agent(e.agent);
        if (e.corrupted) say(`  BYZANTINE CORRUPTION APPLIED to ${a.name}`);
        if (e.status === 'absent' || e.status === 'late')
          say(`  ✖ ${a.name} proposal failed: ${oneLine(e.reasoning, 120)}`);
        else if (e.status === 'malformed')
          say(`  ✗ ${a.name} proposal malformed: ${oneLine(e.reasoning, 120)}`);
        else
          say(
            `  ${e.status === 'valid' ? '✅' : e.status === 'ignored' ? '·' : '✗'} Proposal from ${a.name}: ${e.node_id} (score: ${(e.score ?? 0).toFixed(2)}) - ${oneLine(e.reasoning, 100)}${e.reason ? `  [${e.status}: ${oneLine(e.reason, 80)}]` : ''}`,
          );
        return;
      }
      case 'candidate':
        say(
          `  Candidate: ${e.node_id} (score ${e.score}, from ${this.agent(e.proposer).name})${e.valid ? '' : `  — INVALID: ${e.reason ?? ''}`}`,
        );
        return;
      case 'evidence':
        say(
          `  ⚑ EVIDENCE against ${this.agent(e.agent).name}: ${e.kind.replace('_', ' ')} — ${oneLine(e.detail, 120)}`,
        );
        return;
      case 'vote': {
        const a = this.agent(e.agent);
        if (e.corrupted) say(`  BYZANTINE CORRUPTION APPLIED to ${a.name}`);
        if (e.vote === null) say(`  ✖ ${a.name} vote ${e.status}: ${oneLine(e.reasoning, 120)}`);
        else
          say(
            `  Vote from ${a.name}: ${e.vote} (conf: ${(e.confidence ?? 0).toFixed(2)}, weight ${e.weight})${e.status === 'overridden' ? ' [overridden by validity check]' : ''} - ${oneLine(e.reasoning, 100)}`,
          );
        return;
      }
      case 'retry':
        this.analysis(e);
        say(
          `  ↻ NOT ACCEPTED — ${e.protocol === 'bft' ? 'a new bft round, the next proposer' : 'trying the next candidate'}: ${oneLine(e.reason ?? '')}`,
        );
        return;
      case 'decision':
        this.analysis(e);
        if (e.outcome === 'committed') {
          say('  ✅ CONSENSUS ACHIEVED!');
          say(`     Decision: ${e.node_id}`);
          if (e.unsafe) {
            const why = this.nodeIds.has(e.node_id ?? '')
              ? 'cannot run this job'
              : 'is not in the cluster';
            say(`  ❌ UNSAFE: ${e.node_id} ${why} — ${e.protocol} committed it anyway`);
          }
          if (e.fork)
            say(`  ❌ FORK: honest replicas committed different nodes — ${forkLine(e.commits)}`);
          if (e.regret !== undefined && e.regret !== null && e.regret > 0)
            say(`     Regret: ${e.regret} (best node ${e.best_node_id ?? 'n/a'})`);
        } else {
          say(`  ✗ NO DECISION: ${e.reason ?? ''}`);
        }
        return;
      case 'fault': {
        const a = this.agent(e.agent);
        a.fault = e.kind;
        a.recoverAt = e.recover_at;
        this.statusDirty = true;
        say(
          `  ⚠ FAULT INJECTED (${e.by}): ${a.name} → ${e.kind} (recovery in ${(e.duration_ms / 1000).toFixed(1)}s)`,
        );
        return;
      }
      case 'recovered': {
        const a = this.agent(e.agent);
        a.fault = null;
        this.statusDirty = true;
        say(`  ✅ RECOVERED: ${a.name} from ${e.kind}${e.by === 'timer' ? '' : ` (${e.by})`}`);
        return;
      }
      case 'reputation':
        say(
          `  reputation of ${this.agent(e.agent).name}: ${e.reputation.toFixed(2)}${e.quarantined ? ' — QUARANTINED' : ''}`,
        );
        return;
      case 'protocol':
        say('');
        say(`PROTOCOL → ${e.protocol} (${e.by})`);
        return;
      case 'quorum':
        say(`QUORUM → ${quorumWords(e.quorum)} (${e.by})`);
        return;
      case 'wait':
        if (e.outcome === 'started') say('Monitoring automatic recovery...');
        else if (e.outcome === 'done') {
          say(
            `  ✅ All agents recovered${e.waited_ms > 0 ? ` after ${(e.waited_ms / 1000).toFixed(1)}s` : ' (already healthy)'}`,
          );
          this.status(e.t);
        } else say(`  ⚠ Recovery wait timed out after ${(e.waited_ms / 1000).toFixed(1)}s`);
        return;
      case 'scenario_end':
        return;
      case 'summary':
        return this.summary(e);
      case 'jail':
        say(
          `  ⛓ JAILED: ${this.agent(e.agent).name} (${e.evidence.replace('_', ' ')}) — out of the validator set until height ${e.until_height}`,
        );
        return;
      case 'release':
        say(`  ⛓ RELEASED: ${this.agent(e.agent).name} back in the validator set (${e.by})`);
        return;
      case 'bft_propose':
      case 'prevote':
      case 'precommit':
      case 'lock':
      case 'commit':
      case 'timeout':
        // The replicas' steps are for --json and the dashboard; the decision says how it ended.
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  /** The original's "Consensus Analysis" block, for a decision or a retry. */
  private analysis(e: DecisionEvent | RetryEvent): void {
    const say = this.write;
    say('  Consensus Analysis:');
    say(`     Total possible weight: ${e.total_weight}`);
    say(`     Voting weight received: ${round2(e.accept_weight + e.reject_weight)}`);
    say(`     Accept weight: ${e.accept_weight}`);
    say(
      `     Required threshold (${fraction(e)}): ${e.quorum} (${(e.quorum_rule ?? (e.protocol === 'bft' ? 'more_than' : 'at_least')) === 'more_than' ? 'strictly more' : 'at least'})`,
    );
    say(`     Failed operations: ${e.failed_operations}`);
  }

  private runStart(e: RunStartEvent): void {
    this.nodeIds = new Set(e.nodes.map((n) => n.id));
    this.agents = new Map(
      e.agents.map((a) => [
        a.id,
        {
          name: a.name,
          specialty: a.specialty,
          weight: a.weight,
          calls: 0,
          fault: null,
          recoverAt: 0,
        },
      ]),
    );
    this.write('HYBRID LLM FAULT TOLERANCE DEMONSTRATION');
    this.write(RULE);
    const why = this.offlineReason ? ` (${this.offlineReason})` : '';
    const mode =
      e.mode === 'llm'
        ? `LLM ${oneLine(e.model ?? '', 60)}`
        : e.mode === 'replay'
          ? 'replay of a recording'
          : `OFFLINE: heuristic agents, no model is called${why}`;
    this.write(`scenario ${e.scenario} · seed ${e.seed} · protocol ${e.protocol} · ${mode}`);
    this.write(
      `${e.agents.length} agents, total weight ${e.total_weight}; ${e.nodes.length} nodes: ${e.nodes.map((n) => n.id).join(', ')}`,
    );
    // Who is who, when the agents do not all ask the same model at the same place.
    const labels = e.agents.map((a) => modelLabel(a.model ?? null, a.endpoint ?? null));
    if (new Set(labels).size > 1) {
      this.write('agents and their models:');
      e.agents.forEach((a, i) => this.write(`  ${a.name.padEnd(16)} ${labels[i] ?? ''}`));
    }
  }

  private status(now: number): void {
    this.statusDirty = false;
    const agents = [...this.agents.values()];
    const healthy = agents.filter((a) => a.fault === null).length;
    const filled = agents.length === 0 ? 0 : Math.round((20 * healthy) / agents.length);
    this.write('');
    this.write('SYSTEM STATUS');
    this.write(
      `System Health: [${'█'.repeat(filled)}${'░'.repeat(20 - filled)}] ${healthy}/${agents.length} (${Math.round((100 * healthy) / Math.max(1, agents.length))}%)`,
    );
    for (const a of agents) {
      const glyph =
        a.fault === null ? '●' : a.fault === 'crash' ? '✖' : a.fault === 'slow' ? '◔' : '⚠';
      const fault =
        a.fault === null
          ? ''
          : ` │ ${a.fault} │ recovery: ${Math.max(0, (a.recoverAt - now) / 1000).toFixed(1)}s`;
      this.write(
        `  ${glyph} ${a.name.padEnd(16)}│ ${a.specialty.padEnd(8)} │ weight: ${a.weight.toFixed(1)} │ LLM calls: ${a.calls}${fault}`,
      );
    }
  }

  private summary(e: SummaryEvent): void {
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
    this.write('');
    this.write('SUMMARY (measured in this run)');
    this.write(RULE);
    this.write(
      `  rounds: ${e.rounds}   committed: ${e.committed}   no decision: ${e.no_decision}${unfinished(e) > 0 ? `   unfinished: ${unfinished(e)}` : ''}   invalid commits: ${e.invalid_commits}`,
    );
    this.write(
      `  calls: ${e.calls.llm} llm, ${e.calls.fallback} fallback, ${e.calls.offline} offline${unansweredText(e)}`,
    );
    this.write(
      `  latency per call: p50 ${e.latency_ms.p50 ?? 'n/a'} ms, p95 ${e.latency_ms.p95 ?? 'n/a'} ms${e.calls.llm + e.calls.fallback === 0 ? ' (simulated thinking time)' : ''}`,
    );
    this.byModel(e);
    const d = e.detection;
    this.write(
      `  byzantine detection (bft rounds): precision ${pct(d.precision)}, recall ${pct(d.recall)} (${d.true_positives} caught of ${d.corrupted} corrupted answers; ${d.flagged} flagged)`,
    );
    this.write(
      `  forks: ${e.forks}   jailed: ${e.jailed}   liveness: ${pct(e.liveness)}   best-node commits: ${pct(e.best_node_rate)}   mean regret: ${e.mean_regret ?? 'n/a'}`,
    );
  }

  /** Per-model lines, when some agent asked a model (an offline-only run has nothing to split). */
  private byModel(e: SummaryEvent): void {
    const entries = Object.entries(e.by_model ?? {});
    if (!entries.some(([key]) => key !== 'offline')) return;
    this.write('  by model:');
    for (const [key, m] of entries) {
      const where =
        m.endpoints.length > 0 ? ` @ ${m.endpoints.map((h) => oneLine(h, 60)).join(', ')}` : '';
      const agree =
        m.agreement === null
          ? 'no counted votes'
          : `agrees with the majority ${(m.agreement * 100).toFixed(1)}% of ${plural(m.votes, 'vote')}`;
      this.write(
        `    ${oneLine(key, 60)}${where} [${m.agents.map((a) => this.agent(a).name).join(', ')}]: ${m.calls.llm} llm, ${m.calls.fallback} fallback, ${m.calls.offline} offline; p50 ${m.latency_ms.p50 ?? 'n/a'} ms, p95 ${m.latency_ms.p95 ?? 'n/a'} ms; ${agree}`,
      );
    }
  }

  private agent(id: string): AgentLine {
    let a = this.agents.get(id);
    if (!a) {
      a = { name: id, specialty: '?', weight: 0, calls: 0, fault: null, recoverAt: 0 };
      this.agents.set(id, a);
    }
    return a;
  }
}

function modelLabel(model: string | null, endpoint: string | null): string {
  if (model === null) return 'offline heuristic';
  return `${oneLine(model, 60)}${endpoint ? ` @ ${oneLine(endpoint, 60)}` : ''}`;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function fraction(e: { quorum_fraction?: number }): string {
  const f = e.quorum_fraction ?? 2 / 3;
  return Math.abs(f - 2 / 3) < 1e-3 ? '2/3' : String(f);
}

/** Which replica committed what, grouped by node: "n3 (beta, gamma) vs n4 (delta, epsilon)". */
function forkLine(commits: Record<string, string | null> | undefined): string {
  const by = new Map<string, string[]>();
  for (const [agent, node] of Object.entries(commits ?? {}))
    if (node !== null) by.set(node, [...(by.get(node) ?? []), agent]);
  return [...by].map(([node, agents]) => `${node} (${agents.join(', ')})`).join(' vs ');
}
