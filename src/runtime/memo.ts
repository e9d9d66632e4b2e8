// A bounded memo for what is computed over and over: an offline run's prompts and heuristic
// answers (at --speed max most of the work otherwise), and the dashboard's wrapped lines; and the
// keys that name an offline request.
import type { AgentRequest, AgentSpec, CandidateView, JobSpec, Protocol } from '../core/types.js';

const MAX_ENTRIES = 4096;

/**
 * Bounded by two generations of `max` entries: when the newer fills, it becomes the older and the
 * old older is dropped. What is still asked for is carried into the newer generation, so keys
 * that never recur (at 100 agents each height's votes are new) cannot flush the ones that do (its
 * proposals), as clearing one full table did: 18 times in 300 heights, each prompt built anew.
 */
export class Memo<V> {
  private newer = new Map<string, V>();
  private older = new Map<string, V>();

  constructor(private readonly max = MAX_ENTRIES) {}

  get(key: string, make: () => V): V {
    return this.find(key) ?? this.add(key, make());
  }

  /** What `key` holds (carried into the newer generation), or undefined. */
  find(key: string): V | undefined {
    const value = this.newer.get(key);
    if (value !== undefined) return value;
    const old = this.older.get(key);
    return old === undefined ? undefined : this.add(key, old);
  }

  /** Stores `value` under a key find() did not know; returns it. */
  add(key: string, value: V): V {
    if (this.newer.size >= this.max) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
    return value;
  }
}

// A candidate is one object shared by every voter of a round, but spelling it out (supporters and
// their reasoning) is as long as the round is wide: done once per candidate, then named by a
// short id, so a vote's key costs the same with 5 agents or 100. Ids only ever grow, so clearing
// the table can cost hits but never confuse two candidates.
const candidateIds = new WeakMap<CandidateView, number>();
const idsByText = new Map<string, number>();
let nextCandidateId = 0;

function candidateId(c: CandidateView): number {
  let id = candidateIds.get(c);
  if (id === undefined) {
    const text = `${c.nodeId}|${c.score}|${c.proposer}|${c.supporters.map((s) => `${s.agent}:${s.score}:${s.reasoning}`).join('\u0001')}`;
    id = idsByText.get(text);
    if (id === undefined) {
      if (idsByText.size >= MAX_ENTRIES) idsByText.clear();
      id = nextCandidateId++;
      idsByText.set(text, id);
    }
    candidateIds.set(c, id);
  }
  return id;
}

/** Everything a prompt or an offline answer depends on, as a string (nodes are fixed per run). */
function spelledKey(req: AgentRequest): string {
  const head = `${req.kind}|${req.agent.id}|${req.agent.specialty}|${req.job.id}|${req.protocol}`;
  if (req.kind === 'propose') return head;
  return `${head}|${req.summaryOnly ? 1 : 0}|${candidateId(req.candidate)}`;
}

interface KnownKey {
  job: JobSpec;
  protocol: Protocol;
  summaryOnly: boolean;
  key: string;
}

// A request's key, spelt once per agent and job (a proposal) or candidate (a vote; the core
// shares a candidate across heights), then handed out as the same string: spelling it and
// hashing a new string in the memo cost about 300 ns, ten times a 5-agent height. The memo
// itself stays keyed by text, so runs that share it (a sweep's) still share their entries.
const knownKeys = new WeakMap<object, Map<AgentSpec, KnownKey>>();

export function requestKey(req: AgentRequest): string {
  const anchor: object = req.kind === 'propose' ? req.job : req.candidate;
  const summaryOnly = req.kind === 'vote' && req.summaryOnly;
  let byAgent = knownKeys.get(anchor);
  if (!byAgent) knownKeys.set(anchor, (byAgent = new Map()));
  const known = byAgent.get(req.agent);
  if (
    known?.job === req.job &&
    known.protocol === req.protocol &&
    known.summaryOnly === summaryOnly
  )
    return known.key;
  const key = spelledKey(req);
  byAgent.set(req.agent, { job: req.job, protocol: req.protocol, summaryOnly, key });
  return key;
}
