// User scenario files: validated with zod, then checked against the agents, nodes and jobs they
// will run with, so a typo is one line naming the file and the field, never a stack trace.
import { z } from 'zod';
import { DEFAULT_AGENTS, DEFAULT_JOBS, DEFAULT_NODES } from './catalogue.js';
import { parseFileText } from './file-text.js';
import { formatPath, issueLine } from './schema-issue.js';
import type { ScenarioSpec, ScenarioStep } from './scenario.js';
import { nodeFromWire } from './wire.js';
import type { AgentSpec, JobSpec, NodeSpec, Protocol } from './types.js';

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'expected an id of letters, digits, _ . -');
// Model answers are matched case-insensitively ("N1" means n1), so node ids are lower-case.
const nodeId = z
  .string()
  .regex(/^[a-z0-9_.-]{1,40}$/, 'expected a lower-case node id of letters, digits, _ . -');
const seconds = z.number().positive().max(86_400);
const adversary = z.enum(['original', 'strategic', 'equivocate', 'silent']);
const quorum = z
  .number()
  .min(0.5)
  .lt(1, 'expected a fraction below 1 (commit on strictly more than it)');

const Step = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('section'),
    title: z.string().min(1).max(80),
    caption: z.string().min(1).max(200).optional(),
  }),
  z.strictObject({
    type: z.literal('inject'),
    agent: id,
    fault: z.enum(['byzantine', 'crash', 'slow', 'partition']),
    duration_s: seconds.optional(),
    /** partition: cut these agents off together (they still reach each other). */
    group: z.array(id).min(1).max(200).optional(),
    /** partition: agents that keep a link to both sides. */
    bridge: z.array(id).min(1).max(200).optional(),
    /** byzantine: the adversary it plays, and whether it corrupts every time (not drawn). */
    adversary: adversary.optional(),
    scripted: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('quorum'), quorum: quorum.nullable() }),
  z.strictObject({ type: z.literal('release'), agent: id }),
  z.strictObject({ type: z.literal('recover'), agent: id }),
  z.strictObject({
    type: z.literal('rounds'),
    count: z.int().min(1).max(1_000_000),
    job: id.optional(),
  }),
  z.strictObject({ type: z.literal('wait_recovery'), max_s: seconds }),
  z.strictObject({ type: z.literal('protocol'), protocol: z.enum(['classic', 'bft']) }),
]);

const ScenarioFile = z.strictObject({
  name: z.string().min(1).max(40),
  description: z.string().max(200).optional(),
  protocol: z.enum(['classic', 'bft']).optional(),
  agents: z
    .array(
      z.strictObject({
        id,
        name: z.string().min(1).max(24),
        specialty: z.string().min(1).max(16),
        weight: z.number().positive().max(100),
        // The agent's own model and endpoint (resolved outside the core, in agent-endpoints.ts).
        model: z.string().min(1).max(200).optional(),
        base_url: z.string().min(1).max(2000).optional(),
        api_key_env: z.string().min(1).max(128).optional(),
      }),
    )
    .min(1)
    .max(200)
    .optional(),
  nodes: z
    .array(
      z.strictObject({
        id: nodeId,
        name: z.string().min(1).max(24),
        cpus: z.int().min(0),
        ram_gb: z.number().min(0),
        gpus: z.int().min(0),
        type: z.string().min(1).max(16),
      }),
    )
    .min(1)
    .max(500)
    .optional(),
  jobs: z
    .array(
      z.strictObject({
        id,
        title: z.string().min(1).max(60),
        description: z.string().min(1).max(300),
        min_gpus: z.int().min(0),
        min_ram_gb: z.number().min(0),
        min_cpus: z.int().min(0),
        preferred_type: z.string().optional(),
      }),
    )
    .max(100)
    .optional(),
  job_mix: z.array(id).min(1).optional(),
  chaos_rate: z.number().min(0).max(1).optional(),
  adversary: adversary.optional(),
  quorum: quorum.optional(),
  jail_heights: z.int().min(1).max(1_000_000).optional(),
  steps: z.array(Step).min(1).max(10_000),
});

export interface LoadedScenario {
  scenario: ScenarioSpec;
  protocol?: Protocol;
  agents: AgentSpec[];
  nodes: NodeSpec[];
  jobs: JobSpec[];
  /** Whether the file lists its own agents rather than using the defaults. */
  ownAgents: boolean;
  /** Per-agent model/endpoint settings by agent id, for the agents that have any. */
  endpoints: Record<string, { model?: string; baseUrl?: string; apiKeyEnv?: string }>;
  /** bft: heights a jailed agent sits out (--jail-heights overrides it). */
  jailHeights?: number;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/**
 * Parses and checks a scenario file's text (YAML for .yaml/.yml, else JSON). Throws
 * ScenarioError with one line: `file: field: problem`.
 */
export function parseScenarioFile(text: string, file: string): LoadedScenario {
  let json: unknown;
  try {
    json = parseFileText(text, file);
  } catch (err) {
    throw new ScenarioError(`${file}: ${(err as Error).message}`);
  }
  const parsed = ScenarioFile.safeParse(json);
  if (!parsed.success)
    throw new ScenarioError(`${file}: ${issueLine(ScenarioFile, parsed.error, json)}`);
  const f = parsed.data;
  const agents: AgentSpec[] = f.agents
    ? f.agents.map((a) => ({ id: a.id, name: a.name, specialty: a.specialty, weight: a.weight }))
    : [...DEFAULT_AGENTS];
  const endpoints: LoadedScenario['endpoints'] = {};
  for (const a of f.agents ?? []) {
    if (a.model === undefined && a.base_url === undefined && a.api_key_env === undefined) continue;
    endpoints[a.id] = {
      ...(a.model !== undefined ? { model: a.model } : {}),
      ...(a.base_url !== undefined ? { baseUrl: a.base_url } : {}),
      ...(a.api_key_env !== undefined ? { apiKeyEnv: a.api_key_env } : {}),
    };
  }
  const nodes = f.nodes?.map(nodeFromWire) ?? [...DEFAULT_NODES];
  const custom = (f.jobs ?? []).map((j) => ({
    id: j.id,
    title: j.title,
    description: j.description,
    requirements: { minGpus: j.min_gpus, minRamGb: j.min_ram_gb, minCpus: j.min_cpus },
    ...(j.preferred_type !== undefined ? { preferredType: j.preferred_type } : {}),
  }));
  const jobs = [...DEFAULT_JOBS.filter((d) => !custom.some((c) => c.id === d.id)), ...custom];
  const fail = (path: (string | number)[], message: string): never => {
    throw new ScenarioError(`${file}: ${formatPath(path)}: ${message}`);
  };
  duplicates(agents.map((a) => a.id)).forEach((d) => fail(['agents'], `duplicate agent id "${d}"`));
  duplicates(nodes.map((n) => n.id)).forEach((d) => fail(['nodes'], `duplicate node id "${d}"`));
  const agentIds = agents.map((a) => a.id);
  const jobIds = jobs.map((j) => j.id);
  const known = (what: string, ids: string[]) => `unknown ${what}; known: ${ids.join(', ')}`;
  f.job_mix?.forEach(
    (j, i) => jobIds.includes(j) || fail(['job_mix', i], `"${j}" is an ${known('job', jobIds)}`),
  );
  const steps: ScenarioStep[] = f.steps.map((st, i): ScenarioStep => {
    switch (st.type) {
      case 'section':
        return st.caption === undefined
          ? { type: 'section', title: st.title }
          : { type: 'section', title: st.title, caption: st.caption };
      case 'inject':
        if (!agentIds.includes(st.agent))
          fail(['steps', i, 'agent'], `"${st.agent}" is an ${known('agent', agentIds)}`);
        st.group?.forEach(
          (g, j) =>
            agentIds.includes(g) ||
            fail(['steps', i, 'group', j], `"${g}" is an ${known('agent', agentIds)}`),
        );
        if (st.group && st.fault !== 'partition')
          fail(['steps', i, 'group'], 'only a partition cuts off a group');
        st.bridge?.forEach(
          (b, j) =>
            agentIds.includes(b) ||
            fail(['steps', i, 'bridge', j], `"${b}" is an ${known('agent', agentIds)}`),
        );
        if (st.bridge && st.fault !== 'partition')
          fail(['steps', i, 'bridge'], 'only a partition has bridges');
        if (st.group && !st.group.includes(st.agent))
          fail(['steps', i, 'group'], `the group must include the agent "${st.agent}"`);
        if ((st.adversary !== undefined || st.scripted !== undefined) && st.fault !== 'byzantine')
          fail(
            ['steps', i, st.adversary !== undefined ? 'adversary' : 'scripted'],
            'only a byzantine fault has an adversary',
          );
        return {
          type: 'inject',
          agent: st.agent,
          fault: st.fault,
          ...(st.duration_s !== undefined ? { durationMs: Math.round(st.duration_s * 1000) } : {}),
          ...(st.group ? { group: st.group } : {}),
          ...(st.bridge ? { bridge: st.bridge } : {}),
          ...(st.adversary ? { adversary: st.adversary } : {}),
          ...(st.scripted ? { scripted: true } : {}),
        };
      case 'quorum':
        return { type: 'quorum', quorum: st.quorum };
      case 'release':
        if (st.agent !== 'all' && !agentIds.includes(st.agent))
          fail(
            ['steps', i, 'agent'],
            `"${st.agent}" is an ${known('agent', [...agentIds, 'all'])}`,
          );
        return { type: 'release', agent: st.agent };
      case 'recover':
        if (st.agent !== 'all' && !agentIds.includes(st.agent))
          fail(
            ['steps', i, 'agent'],
            `"${st.agent}" is an ${known('agent', [...agentIds, 'all'])}`,
          );
        return { type: 'recover', agent: st.agent };
      case 'rounds':
        if (st.job !== undefined && !jobIds.includes(st.job))
          fail(['steps', i, 'job'], `"${st.job}" is an ${known('job', jobIds)}`);
        return {
          type: 'rounds',
          count: st.count,
          ...(st.job !== undefined ? { job: st.job } : {}),
        };
      case 'wait_recovery':
        return { type: 'wait_recovery', maxMs: Math.round(st.max_s * 1000) };
      case 'protocol':
        return { type: 'protocol', protocol: st.protocol };
      default: {
        const never: never = st;
        return never;
      }
    }
  });
  return {
    scenario: {
      name: f.name,
      description: f.description ?? '',
      steps,
      ...(f.job_mix ? { jobMix: f.job_mix } : {}),
      ...(f.chaos_rate !== undefined ? { chaosRate: f.chaos_rate } : {}),
      ...(f.adversary ? { adversary: f.adversary } : {}),
      ...(f.quorum !== undefined ? { quorum: f.quorum } : {}),
    },
    ...(f.protocol ? { protocol: f.protocol } : {}),
    ...(f.jail_heights !== undefined ? { jailHeights: f.jail_heights } : {}),
    agents,
    nodes,
    jobs,
    ownAgents: f.agents !== undefined,
    endpoints,
  };
}

function duplicates(ids: string[]): string[] {
  return ids.filter((x, i) => ids.indexOf(x) !== i);
}
