// Sweep specs: a grid of configurations, from a JSON or YAML file, a preset, or flags. Validated
// with zod and checked against the agents and jobs it will run with, so a mistake is one line
// naming the file and the field (as scenario files are), never a stack trace.
import { z } from 'zod';
import { DEFAULT_AGENTS, DEFAULT_JOBS } from '../core/catalogue.js';
import { parseFileText } from '../core/file-text.js';
import { DEFAULT_JAIL_HEIGHTS } from '../core/state.js';
import { formatPath, issueLine } from '../core/schema-issue.js';
import type { Protocol } from '../core/types.js';
import { SweepError } from './errors.js';

export { SweepError };

export const ADVERSARY_CHOICES = [
  'default',
  'original',
  'strategic',
  'equivocate',
  'silent',
] as const;
export type AdversaryChoice = (typeof ADVERSARY_CHOICES)[number];
export const FAULT_KINDS = ['crash', 'slow', 'partition'] as const;
export type SweepFaultKind = (typeof FAULT_KINDS)[number];

/** Who is byzantine: the first N agents, named agents, or agents up to a share of the weight. */
export type ByzantineChoice =
  | { kind: 'count'; count: number }
  | { kind: 'agents'; ids: string[] }
  | { kind: 'share'; share: number };

/** A crash/slow/partition fault struck after `afterRounds` rounds, healed after `durationS`. */
export interface SweepFault {
  agent: string;
  kind: SweepFaultKind;
  afterRounds: number;
  durationS: number;
}

/** Every axis is a list; the grid is their product, in this field order. */
export interface SweepSpec {
  name: string;
  rounds: number;
  seeds: number;
  baseSeed: number;
  protocol: Protocol[];
  adversary: AdversaryChoice[];
  byzantine: ByzantineChoice[];
  byzantineRate: number[];
  quorum: (number | null)[];
  offlineNoise: number[];
  faults: SweepFault[][];
  jobMix: (string[] | null)[];
  /** bft: heights an agent jailed on evidence sits out. */
  jailHeights: number[];
}

const agentId = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'expected an agent id');
/** An axis: a list of values, or one value standing for a list of one. */
const listOf = <T extends z.ZodType>(item: T, isList: (v: unknown[]) => boolean = () => true) =>
  z.preprocess((v) => (Array.isArray(v) && isList(v) ? v : [v]), z.array(item).min(1).max(100));
const fraction = z.number().min(0).max(1);

const Fault = z.strictObject({
  agent: agentId,
  kind: z.enum(FAULT_KINDS),
  after_rounds: z.int().min(0).max(1_000_000).default(0),
  duration_s: z.number().positive().max(86_400),
});

const SpecFile = z.strictObject({
  // Printed in summaries and drawn in plot titles: plain words only.
  name: z
    .string()
    .regex(/^[A-Za-z0-9 _.:+-]{1,60}$/, 'expected 1 to 60 letters, digits, spaces or _ . : + -')
    .optional(),
  rounds: z.int().min(1).max(100_000).optional(),
  seeds: z.int().min(1).max(10_000).optional(),
  base_seed: z
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  protocol: listOf(z.enum(['classic', 'bft'])).optional(),
  adversary: listOf(z.enum(ADVERSARY_CHOICES)).optional(),
  byzantine: listOf(z.union([z.int().min(0).max(1000), z.array(agentId).max(1000)])).optional(),
  byzantine_share: listOf(fraction).optional(),
  byzantine_rate: listOf(fraction).optional(),
  quorum: listOf(z.union([z.number().min(0.5).lt(1), z.null()])).optional(),
  offline_noise: listOf(fraction).optional(),
  faults: z.array(z.array(Fault).max(100)).min(1).max(100).optional(),
  // One mix is itself a list of job ids: a list whose items are all strings is one mix.
  job_mix: listOf(
    z.union([z.array(agentId).min(1).max(100), z.null()]),
    (v) => !v.every((x) => typeof x === 'string'),
  ).optional(),
  jail_heights: listOf(z.int().min(1).max(1_000_000)).optional(),
});

export const DEFAULT_SPEC: SweepSpec = {
  name: 'sweep',
  rounds: 20,
  seeds: 5,
  baseSeed: 1,
  protocol: ['classic', 'bft'],
  adversary: ['default'],
  byzantine: [{ kind: 'count', count: 0 }],
  byzantineRate: [0.7],
  quorum: [null],
  offlineNoise: [0],
  faults: [[]],
  jobMix: [null],
  jailHeights: [DEFAULT_JAIL_HEIGHTS],
};

/** Reads a spec file's text: YAML (JSON is YAML too) for .yaml/.yml, JSON otherwise. */
export function parseSpecText(text: string, file: string, base = DEFAULT_SPEC): SweepSpec {
  let raw: unknown;
  try {
    raw = parseFileText(text, file);
  } catch (err) {
    throw new SweepError(`${file}: ${(err as Error).message}`);
  }
  return specFromObject(raw, file, base);
}

/** Validates a spec object (from a file, a preset or flags) on top of `base`. */
export function specFromObject(
  raw: unknown,
  where: string,
  base = DEFAULT_SPEC,
  /** How the first segment of a path is shown: a field name, or the flag that set it. */
  field: (name: string) => string = (name) => name,
): SweepSpec {
  const at = (path: readonly PropertyKey[]) => {
    const [first, ...rest] = path;
    return formatPath([field(String(first)), ...rest]);
  };
  const parsed = SpecFile.safeParse(raw);
  if (!parsed.success)
    throw new SweepError(`${where}: ${issueLine(SpecFile, parsed.error, raw, at)}`);
  const f = parsed.data;
  const fail = (path: (string | number)[], message: string): never => {
    throw new SweepError(`${where}: ${at(path)}: ${message}`);
  };
  if (f.byzantine !== undefined && f.byzantine_share !== undefined)
    fail(['byzantine_share'], 'give either byzantine (counts or agent lists) or byzantine_share');
  const agentIds = DEFAULT_AGENTS.map((a) => a.id);
  const jobIds = DEFAULT_JOBS.map((j) => j.id);
  const knownAgent = (id: string, path: (string | number)[]) =>
    agentIds.includes(id) ||
    fail(path, `"${id}" is an unknown agent; known: ${agentIds.join(', ')}`);
  const byzantine = f.byzantine?.map((b, i): ByzantineChoice => {
    if (typeof b === 'number') {
      if (b > agentIds.length)
        fail(['byzantine', i], `${b} is more than the ${agentIds.length} agents`);
      return { kind: 'count', count: b };
    }
    b.forEach((id, j) => knownAgent(id, ['byzantine', i, j]));
    if (new Set(b).size !== b.length) fail(['byzantine', i], 'an agent is listed twice');
    return { kind: 'agents', ids: b };
  });
  const faults = f.faults?.map((set, i) =>
    set.map((x, j): SweepFault => {
      knownAgent(x.agent, ['faults', i, j, 'agent']);
      return { agent: x.agent, kind: x.kind, afterRounds: x.after_rounds, durationS: x.duration_s };
    }),
  );
  f.job_mix?.forEach((mix, i) =>
    mix?.forEach(
      (id, j) =>
        jobIds.includes(id) ||
        fail(['job_mix', i, j], `"${id}" is an unknown job; known: ${jobIds.join(', ')}`),
    ),
  );
  return {
    name: f.name ?? base.name,
    rounds: f.rounds ?? base.rounds,
    seeds: f.seeds ?? base.seeds,
    baseSeed: f.base_seed ?? base.baseSeed,
    protocol: f.protocol ?? base.protocol,
    adversary: f.adversary ?? base.adversary,
    byzantine:
      byzantine ??
      f.byzantine_share?.map((share): ByzantineChoice => ({ kind: 'share', share })) ??
      base.byzantine,
    byzantineRate: f.byzantine_rate ?? base.byzantineRate,
    quorum: f.quorum ?? base.quorum,
    offlineNoise: f.offline_noise ?? base.offlineNoise,
    faults: faults ?? base.faults,
    jobMix: f.job_mix ?? base.jobMix,
    jailHeights: f.jail_heights ?? base.jailHeights,
  };
}

/** The spec back in its file form: what results.json stores and `sweep merge` compares. */
export function specToObject(spec: SweepSpec): Record<string, unknown> {
  const byzantine = spec.byzantine.every((b) => b.kind === 'share')
    ? { byzantine_share: spec.byzantine.map((b) => (b.kind === 'share' ? b.share : 0)) }
    : {
        byzantine: spec.byzantine.map((b) =>
          b.kind === 'count' ? b.count : b.kind === 'agents' ? b.ids : b.share,
        ),
      };
  return {
    name: spec.name,
    rounds: spec.rounds,
    seeds: spec.seeds,
    base_seed: spec.baseSeed,
    protocol: spec.protocol,
    adversary: spec.adversary,
    ...byzantine,
    byzantine_rate: spec.byzantineRate,
    quorum: spec.quorum,
    offline_noise: spec.offlineNoise,
    faults: spec.faults.map((set) =>
      set.map((x) => ({
        agent: x.agent,
        kind: x.kind,
        after_rounds: x.afterRounds,
        duration_s: x.durationS,
      })),
    ),
    job_mix: spec.jobMix,
    // Only when set otherwise: a spec from before the axis existed reads (and merges) the same.
    ...(isDefaultJail(spec.jailHeights) ? {} : { jail_heights: spec.jailHeights }),
  };
}

/** The jail term every spec had before it could vary: one value, the engine's default. */
export function isDefaultJail(values: readonly number[]): boolean {
  return values.length === 1 && values[0] === DEFAULT_JAIL_HEIGHTS;
}
