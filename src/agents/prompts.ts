// What an LLM-backed agent is asked. Pure: the same request always gives the same text, so
// recordings and the log show exactly what was sent.
import type {
  AgentRequest,
  JobSpec,
  NodeSpec,
  ProposeRequest,
  VoteRequest,
} from '../core/types.js';
import { oneLine } from './sanitize.js';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

// Supporters' reasoning is model text from other agents: shown short and on one line, so one
// agent cannot flood or steer another's prompt with a long injected essay.
const SUPPORTER_REASONING_MAX = 60;
const SUPPORTERS_MAX = 8;

export function buildMessages(req: AgentRequest): ChatMessage[] {
  switch (req.kind) {
    case 'propose':
      return [
        { role: 'system', content: systemLine(req, 'a distributed job scheduling system') },
        { role: 'user', content: proposeBody(req) },
      ];
    case 'vote':
      return [
        { role: 'system', content: systemLine(req, 'a consensus protocol') },
        { role: 'user', content: voteBody(req) },
      ];
    default:
      return assertNever(req);
  }
}

/** The same content as `buildMessages`, flattened for the `llm_request` event and the log. */
export function promptText(req: AgentRequest): string {
  const [system, user] = buildMessages(req);
  // Concatenated, which links the parts instead of copying them: a vote's context (job,
  // inventory, candidate) is one string shared by every voter, so at 100 agents, where the
  // proposer rotates and no two heights ask the same vote, a prompt still costs the same per agent.
  return `${system?.content ?? ''}\n\n${user?.content ?? ''}`;
}

function systemLine(req: AgentRequest, where: string): string {
  const { name, specialty } = req.agent;
  return `You are ${name}, a ${specialty} specialist in ${where}. Reply with ONLY a JSON object: no prose, no code fences.`;
}

function proposeBody(req: ProposeRequest): string {
  const s = req.agent.specialty;
  return [
    ...jobLines(req.job),
    '',
    'AVAILABLE NODES:',
    ...req.nodes.map(nodeLine),
    '',
    `As a ${s} specialist, recommend the BEST node for this job. Only a listed node that meets every hard requirement is valid.`,
    '',
    'Respond with ONLY a JSON object:',
    `{"node_id": "nX", "score": 0.0-1.0, "reasoning": "one sentence from your ${s} perspective"}`,
  ].join('\n');
}

function voteBody(req: VoteRequest): string {
  const s = req.agent.specialty;
  const c = req.candidate;
  const answer = [
    'Respond with ONLY a JSON object:',
    `{"vote": "accept" or "reject", "confidence": 0.0-1.0, "reasoning": "one sentence from your ${s} expertise"}`,
  ];
  if (req.summaryOnly) {
    // The classic protocol reproduces the original demo: voters see this one line and nothing
    // else, which is exactly why it can be talked into a node that does not exist.
    return [
      'PROPOSAL SUMMARY:',
      `Top proposal: ${c.nodeId} (score: ${c.score.toFixed(2)}, from ${c.proposer})`,
      '',
      `As a ${s} specialist, evaluate and vote on this proposal.`,
      '',
      ...answer,
    ].join('\n');
  }
  // Not an array join: that would copy the shared context into every voter's prompt.
  return `${candidateContext(req)}\n\nAs a ${s} specialist, vote on this candidate. Reject it if it is not listed above or misses a hard requirement.\n\n${answer.join('\n')}`;
}

// Every voter of a round sees the same job, inventory and candidate; only the lines naming the
// voter differ. Built once per candidate (candidates are fresh objects each round), so a round's
// prompts cost the same per agent with 5 agents or 100.
const contexts = new WeakMap<
  VoteRequest['candidate'],
  { job: JobSpec; nodes: readonly NodeSpec[]; text: string }
>();

function candidateContext(req: VoteRequest): string {
  const c = req.candidate;
  const cached = contexts.get(c);
  if (cached && cached.job === req.job && cached.nodes === req.nodes) return cached.text;
  const supporters = c.supporters.slice(0, SUPPORTERS_MAX).map((p) => {
    const why = oneLine(p.reasoning, SUPPORTER_REASONING_MAX);
    return `- ${p.agent}: score ${p.score.toFixed(2)}${why ? `, "${why}"` : ''}`;
  });
  const more = c.supporters.length - supporters.length;
  if (more > 0) supporters.push(`- and ${more} more`);
  const text = [
    ...jobLines(req.job),
    '',
    'AVAILABLE NODES:',
    ...req.nodes.map(nodeLine),
    '',
    `CANDIDATE: ${c.nodeId} (weighted support ${c.score.toFixed(2)}, proposed by ${c.proposer})`,
    'Supporting proposals:',
    ...(supporters.length > 0 ? supporters : ['- none']),
  ].join('\n');
  contexts.set(c, { job: req.job, nodes: req.nodes, text });
  return text;
}

function jobLines(job: JobSpec): string[] {
  const r = job.requirements;
  const text = job.description.startsWith(job.title)
    ? job.description
    : `${job.title}: ${job.description}`;
  return [
    'JOB REQUEST:',
    oneLine(text),
    `Hard requirements: >= ${r.minGpus} GPUs, >= ${r.minRamGb}GB RAM, >= ${r.minCpus} CPUs`,
  ];
}

function nodeLine(n: NodeSpec): string {
  return `- ${n.id} (${n.name}): ${n.cpus} CPUs, ${n.ramGb}GB RAM, ${n.gpus} GPUs, type=${n.type}`;
}

function assertNever(x: never): never {
  throw new Error(`unexpected request ${JSON.stringify(x)}`);
}
