// The recording format, checked line by line before a replay trusts it. Strict on what a replay
// reads (the run's config, the answers, the user's commands, the decisions it compares), loose on
// everything else: an event type this version does not know, or a field it does not read, passes,
// so newer recordings and newer event types do not break an older reader's checks.
import { z } from 'zod';
import { formatPath } from '../core/schema-issue.js';
import { ADVERSARIES, type Adversary } from '../core/types.js';

/** Written in run_start; bumped when a change would make older readers misread a recording. */
export const RECORDING_VERSION = 1;

const count = z.int().min(0);
const ms = z.number().min(0);
const text = (max: number) => z.string().max(max);
const protocol = z.enum(['classic', 'bft']);
const faultKind = z.enum(['byzantine', 'crash', 'slow', 'partition']);
const adversary = z.enum(ADVERSARIES as [Adversary, ...Adversary[]]);
/** A quorum fraction as --quorum takes it. */
const quorumFraction = z.number().min(0.5).lt(1);
const phase = z.enum(['propose', 'vote']);
const source = z.enum(['llm', 'fallback', 'offline']);

const Agent = z.looseObject({
  id: z.string().min(1).max(64),
  name: text(64),
  specialty: text(32),
  weight: z.number().positive().max(1000),
});

const WireNode = z.looseObject({
  id: z.string().min(1).max(64),
  name: text(64),
  cpus: count,
  ram_gb: z.number().min(0),
  gpus: count,
  type: text(32),
});

const Job = z.looseObject({
  id: z.string().min(1).max(64),
  title: text(120),
  description: text(1000),
  requirements: z.looseObject({ minGpus: count, minRamGb: z.number().min(0), minCpus: count }),
  preferredType: text(32).optional(),
});

const STEPS: Record<string, z.ZodType> = {
  section: z.looseObject({ title: text(200) }),
  inject: z.looseObject({
    agent: z.string(),
    fault: faultKind,
    durationMs: z.int().positive().optional(),
    group: z.array(z.string()).optional(),
    adversary: adversary.optional(),
    scripted: z.boolean().optional(),
  }),
  recover: z.looseObject({ agent: z.string() }),
  release: z.looseObject({ agent: z.string() }),
  quorum: z.looseObject({ quorum: quorumFraction.nullable() }),
  rounds: z.looseObject({ count: z.int().min(1).max(10_000_000), job: z.string().optional() }),
  wait_recovery: z.looseObject({ maxMs: z.int().positive() }),
  protocol: z.looseObject({ protocol }),
};

/** A step of a type this version knows is checked; one it does not know passes. */
const Step = z.looseObject({ type: z.string() }).superRefine((step, ctx) => {
  const parsed = STEPS[step.type]?.safeParse(step);
  if (parsed && !parsed.success)
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

const Timing = z
  .looseObject({
    phaseGapMs: ms,
    roundGapMs: ms,
    thinkMinMs: ms,
    thinkMaxMs: ms,
    slowExtraMs: ms,
    phaseDeadlineMs: z.number().positive(),
  })
  .refine((t) => t.thinkMinMs <= t.thinkMaxMs, 'thinkMinMs is above thinkMaxMs');

const RunStart = z.looseObject({
  type: z.literal('run_start'),
  t: ms,
  recording_version: z.int().min(1).optional(),
  seed: z
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  scenario: text(200),
  protocol,
  mode: z.enum(['offline', 'llm', 'replay']),
  model: text(200).nullable(),
  agents: z.array(Agent).min(1).max(1000),
  nodes: z.array(WireNode).min(1).max(5000),
  total_weight: z.number().positive(),
  config: z.looseObject({
    byzantine_rate: z.number().min(0).max(1),
    fault_duration_ms: z.tuple([z.int().positive(), z.int().positive()]),
    max_rounds: z.int().min(1).nullable(),
    free_play: z.boolean(),
    scenario: z.looseObject({
      name: text(200),
      description: text(1000),
      jobMix: z.array(z.string()).min(1).optional(),
      chaosRate: z.number().min(0).max(1).optional(),
      steps: z.array(Step).max(100_000),
    }),
    jobs: z.array(Job).min(1).max(1000),
    timing: Timing,
    adversary: adversary.nullable().optional(),
    quorum: quorumFraction.nullable().optional(),
    offline_noise: z.number().min(0).max(1).optional(),
    network: z
      .looseObject({ min_delay_ms: ms, max_delay_ms: ms, loss: z.number().min(0).lt(1) })
      .refine((n) => n.min_delay_ms <= n.max_delay_ms, 'min_delay_ms is above max_delay_ms')
      .optional(),
    jail_heights: z.int().min(0).optional(),
  }),
});

const Call = {
  t: ms,
  round: z.int().min(0),
  call_id: z.string().min(1).max(200),
  agent: z.string().min(1).max(64),
  phase,
  source,
};

const LlmRequest = z.looseObject({
  type: z.literal('llm_request'),
  ...Call,
  model: text(200).nullable(),
  prompt: z.string(),
});

const LlmResponse = z.looseObject({
  type: z.literal('llm_response'),
  ...Call,
  raw: z.string(),
  latency_ms: ms,
  ttft_ms: ms.nullable(),
  tokens: z.looseObject({ prompt: count, completion: count }).nullable(),
  error: z.string().nullable(),
  rejected_raw: z.string().nullable(),
  attempts: count,
});

const Decision = z.looseObject({
  type: z.literal('decision'),
  t: ms,
  round: z.int().min(1),
  protocol,
  outcome: z.enum(['committed', 'no_decision']),
  node_id: z.string().nullable(),
  valid: z.boolean().nullable(),
  unsafe: z.boolean(),
  accept_weight: z.number(),
  total_weight: z.number(),
  quorum: z.number(),
});

const Fault = z.looseObject({
  type: z.literal('fault'),
  t: ms,
  agent: z.string().min(1),
  kind: faultKind,
  duration_ms: z.number().positive(),
  by: z.enum(['scenario', 'user']),
});

const Recovered = z.looseObject({
  type: z.literal('recovered'),
  t: ms,
  agent: z.string().min(1),
  kind: faultKind,
  by: z.enum(['timer', 'user', 'scenario']),
});

const Release = z.looseObject({
  type: z.literal('release'),
  t: ms,
  agent: z.string().min(1),
  by: z.enum(['timer', 'user', 'scenario']),
});

const QuorumChange = z.looseObject({
  type: z.literal('quorum'),
  t: ms,
  quorum: z.number().min(0.5).lt(1).nullable(),
  by: z.enum(['scenario']),
});

const ProtocolChange = z.looseObject({
  type: z.literal('protocol'),
  t: ms,
  protocol,
  by: z.enum(['scenario', 'user']),
});

/** Any other event: only what every line has. */
const AnyEvent = z.looseObject({ type: z.string().min(1).max(64), t: ms });

const SCHEMAS: Record<string, z.ZodType> = {
  run_start: RunStart,
  llm_request: LlmRequest,
  llm_response: LlmResponse,
  decision: Decision,
  fault: Fault,
  recovered: Recovered,
  release: Release,
  protocol: ProtocolChange,
  quorum: QuorumChange,
};

/** Null when the value is a valid event line; otherwise why not, in a few words. */
export function checkEvent(value: unknown): string | null {
  const base = AnyEvent.safeParse(value);
  if (!base.success) return describe(base.error);
  const type = base.data.type;
  const schema = SCHEMAS[type];
  if (!schema) return null;
  const parsed = schema.safeParse(value);
  return parsed.success ? null : `${type} ${describe(parsed.error)}`;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
  return `${where}${issue.message}`;
}
