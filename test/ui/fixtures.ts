// Realistic event sequences, shaped like the runtime's: a healthy round that commits n1 and a
// classic round under attack that commits the fake node n999.
import type { HybridEvent } from '../../src/core/events.js';
import { DEFAULT_JOBS } from '../../src/core/catalogue.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import { DEFAULT_TIMING } from '../../src/core/state.js';
import type { CallPhase } from '../../src/core/types.js';

export const AGENTS = [
  { id: 'alpha', name: 'Alpha-GPU', specialty: 'gpu', weight: 1.3 },
  { id: 'beta', name: 'Beta-Memory', specialty: 'memory', weight: 1.2 },
  { id: 'gamma', name: 'Gamma-Compute', specialty: 'compute', weight: 1.1 },
  { id: 'delta', name: 'Delta-Storage', specialty: 'storage', weight: 1.0 },
  { id: 'epsilon', name: 'Epsilon-Network', specialty: 'network', weight: 0.9 },
];

export function runStart(t = 0): HybridEvent {
  return {
    type: 'run_start',
    t,
    seed: 42,
    scenario: 'tour',
    protocol: 'classic',
    mode: 'offline',
    model: null,
    agents: AGENTS,
    nodes: [
      { id: 'n1', name: 'GPU-Server-01', cpus: 32, ram_gb: 256, gpus: 4, type: 'gpu' },
      { id: 'n2', name: 'GPU-Server-02', cpus: 32, ram_gb: 256, gpus: 4, type: 'gpu' },
      { id: 'n3', name: 'HighMem-01', cpus: 64, ram_gb: 512, gpus: 0, type: 'memory' },
      { id: 'n5', name: 'Compute-01', cpus: 128, ram_gb: 128, gpus: 0, type: 'compute' },
    ],
    total_weight: 5.5,
    config: {
      byzantine_rate: 0.7,
      fault_duration_ms: [15_000, 30_000],
      max_rounds: null,
      free_play: true,
      scenario: BUILTIN_SCENARIOS['tour']!,
      jobs: [...DEFAULT_JOBS],
      timing: DEFAULT_TIMING,
    },
  };
}

export function call(
  round: number,
  agent: string,
  phase: CallPhase,
  t: number,
  text: string,
  options: { prompt?: string; deltas?: number; latency?: number; error?: string } = {},
): HybridEvent[] {
  const callId = `r${round}-${phase}-${agent}`;
  const parts = Math.max(1, options.deltas ?? 3);
  const size = Math.ceil(text.length / parts);
  const deltas: HybridEvent[] = [];
  for (let i = 0; i < text.length; i += size) {
    deltas.push({
      type: 'llm_delta',
      t: t + i,
      call_id: callId,
      agent,
      text: text.slice(i, i + size),
    });
  }
  return [
    {
      type: 'llm_request',
      t,
      round,
      call_id: callId,
      agent,
      phase,
      source: 'offline',
      model: null,
      prompt:
        options.prompt ?? `You are ${agent}, a specialist. Recommend the BEST node for this job.`,
    },
    ...deltas,
    {
      type: 'llm_response',
      t: t + (options.latency ?? 800),
      round,
      call_id: callId,
      agent,
      phase,
      source: options.error ? 'fallback' : 'offline',
      raw: text,
      latency_ms: options.latency ?? 800,
      ttft_ms: 120,
      tokens: null,
      error: options.error ?? null,
      rejected_raw: null,
      attempts: 1,
    },
  ];
}

export function round(
  n: number,
  t0: number,
  options: {
    attack?: boolean;
    protocol?: 'classic' | 'bft';
    /** Beta-Memory's accept rewritten to reject by its fault; `honest` adds the contract's honest_vote. */
    corruptBetaVote?: 'honest' | 'bare';
  } = {},
): HybridEvent[] {
  const attack = options.attack ?? false;
  const corruptBeta = options.corruptBetaVote;
  const protocol = options.protocol ?? 'classic';
  const live = attack ? AGENTS.filter((agent) => agent.id !== 'delta') : AGENTS;
  const node = (id: string) => (attack && id === 'beta' ? 'n999' : 'n1');
  const events: HybridEvent[] = [
    {
      type: 'round_start',
      t: t0,
      round: n,
      protocol,
      job: {
        id: 'ai-training',
        title: 'AI Training Job',
        description: 'Deep learning model training requiring 4 GPU nodes',
        min_gpus: 4,
        min_ram_gb: 128,
        min_cpus: 16,
      },
    },
    { type: 'phase', t: t0, round: n, phase: 'propose', attempt: 0 },
  ];
  for (const agent of live) {
    events.push(
      ...call(
        n,
        agent.id,
        'propose',
        t0 + 10,
        `{"node_id": "${node(agent.id)}", "score": 0.9, "reasoning": "n1: 4 GPUs >= 4 required"}`,
      ),
    );
  }
  for (const agent of AGENTS) {
    const crashed = attack && agent.id === 'delta';
    const fake = node(agent.id) === 'n999';
    events.push({
      type: 'proposal',
      t: t0 + 900,
      round: n,
      agent: agent.id,
      node_id: crashed ? null : node(agent.id),
      score: crashed ? null : fake ? 1 : 0.9,
      reasoning: 'fits',
      status: crashed ? 'absent' : fake ? 'invalid' : 'valid',
      reason: crashed ? 'crashed' : fake ? 'not in cluster' : null,
      corrupted: fake,
    });
  }
  const candidate = attack ? 'n999' : 'n1';
  events.push(
    { type: 'phase', t: t0 + 900, round: n, phase: 'select', attempt: 0 },
    {
      type: 'candidate',
      t: t0 + 900,
      round: n,
      attempt: 0,
      node_id: candidate,
      score: attack ? 1 : 0.9,
      proposer: attack ? 'beta' : 'alpha',
      valid: !attack,
      reason: attack ? 'not in cluster' : null,
    },
    { type: 'phase', t: t0 + 900, round: n, phase: 'vote', attempt: 0 },
  );
  for (const agent of live) {
    events.push(
      ...call(
        n,
        agent.id,
        'vote',
        t0 + 1000,
        '{"vote": "accept", "confidence": 0.9, "reasoning": "ok"}',
      ),
    );
  }
  for (const agent of AGENTS) {
    const crashed = attack && agent.id === 'delta';
    const corrupted = corruptBeta !== undefined && agent.id === 'beta';
    events.push({
      type: 'vote',
      t: t0 + 1900,
      round: n,
      attempt: 0,
      agent: agent.id,
      vote: crashed ? null : corrupted ? 'reject' : 'accept',
      confidence: crashed ? null : 0.9,
      reasoning: 'ok',
      weight: agent.weight,
      status: crashed ? 'absent' : 'counted',
      corrupted,
      ...(corruptBeta === 'honest' ? { honest_vote: crashed ? null : 'accept' } : {}),
    } as HybridEvent);
  }
  const rejected = corruptBeta !== undefined ? 1.2 : 0;
  const accept =
    Math.round((live.reduce((sum, agent) => sum + agent.weight, 0) - rejected) * 10) / 10;
  events.push(
    { type: 'phase', t: t0 + 1900, round: n, phase: 'decide', attempt: 0 },
    {
      type: 'decision',
      t: t0 + 2000,
      round: n,
      attempt: 0,
      protocol,
      outcome: 'committed',
      node_id: candidate,
      valid: !attack,
      unsafe: attack,
      accept_weight: accept,
      reject_weight: rejected,
      absent_weight: Math.round((5.5 - accept - rejected) * 10) / 10,
      total_weight: 5.5,
      quorum: (2 / 3) * 5.5,
      failed_operations: attack ? 2 : 0,
      reason: null,
    },
  );
  return events;
}

export function attackFaults(t: number): HybridEvent[] {
  return [
    { type: 'section', t, index: 2, total: 5, title: 'attack' },
    {
      type: 'fault',
      t,
      agent: 'beta',
      kind: 'byzantine',
      duration_ms: 25_000,
      recover_at: t + 25_000,
      by: 'scenario',
    },
    {
      type: 'fault',
      t,
      agent: 'delta',
      kind: 'crash',
      duration_ms: 20_000,
      recover_at: t + 20_000,
      by: 'scenario',
    },
  ];
}
