// Requests built from the original demo's cluster and first job, kept local to these tests so
// they do not depend on the core's catalogue.
import type { LlmConfig } from '../../src/agents/config.js';
import type {
  AgentSpec,
  JobSpec,
  NodeSpec,
  ProposeRequest,
  VoteRequest,
} from '../../src/core/types.js';

export const AGENTS: AgentSpec[] = [
  { id: 'a1', name: 'Alpha-GPU', specialty: 'gpu', weight: 1.3 },
  { id: 'a2', name: 'Beta-Memory', specialty: 'memory', weight: 1.2 },
  { id: 'a3', name: 'Gamma-Compute', specialty: 'compute', weight: 1.1 },
  { id: 'a4', name: 'Delta-Storage', specialty: 'storage', weight: 1.0 },
  { id: 'a5', name: 'Epsilon-Network', specialty: 'network', weight: 0.9 },
];

export const NODES: NodeSpec[] = [
  { id: 'n1', name: 'GPU-Server-01', cpus: 32, ramGb: 256, gpus: 4, type: 'gpu' },
  { id: 'n2', name: 'GPU-Server-02', cpus: 32, ramGb: 256, gpus: 4, type: 'gpu' },
  { id: 'n3', name: 'HighMem-01', cpus: 64, ramGb: 512, gpus: 0, type: 'memory' },
  { id: 'n4', name: 'HighMem-02', cpus: 64, ramGb: 512, gpus: 0, type: 'memory' },
  { id: 'n5', name: 'Compute-01', cpus: 128, ramGb: 128, gpus: 0, type: 'compute' },
  { id: 'n6', name: 'Storage-01', cpus: 16, ramGb: 64, gpus: 0, type: 'storage' },
];

export const AI_JOB: JobSpec = {
  id: 'ai-training',
  title: 'AI Training Job',
  description: 'Deep learning model training requiring 4 GPU nodes with high memory bandwidth',
  requirements: { minGpus: 4, minRamGb: 128, minCpus: 16 },
  preferredType: 'gpu',
};

export const ANALYTICS_JOB: JobSpec = {
  id: 'analytics',
  title: 'Data Analytics Job',
  description: 'Large-scale data processing requiring high memory capacity for in-memory analytics',
  requirements: { minGpus: 0, minRamGb: 384, minCpus: 32 },
  preferredType: 'memory',
};

export function proposeRequest(
  agent: AgentSpec = AGENTS[0]!,
  job: JobSpec = AI_JOB,
): ProposeRequest {
  return { kind: 'propose', agent, job, nodes: NODES, protocol: 'bft' };
}

export function voteRequest(
  nodeId: string,
  summaryOnly: boolean,
  agent: AgentSpec = AGENTS[1]!,
  job: JobSpec = AI_JOB,
): VoteRequest {
  return {
    kind: 'vote',
    agent,
    job,
    nodes: NODES,
    protocol: summaryOnly ? 'classic' : 'bft',
    candidate: {
      nodeId,
      score: summaryOnly ? 1 : 2.4,
      proposer: 'Alpha-GPU',
      supporters: [
        { agent: 'Alpha-GPU', score: 1, reasoning: '4 GPUs available with high memory bandwidth' },
        { agent: 'Gamma-Compute', score: 0.85, reasoning: 'enough CPUs for the data loaders' },
      ],
    },
    summaryOnly,
  };
}

export const SECRET = 'sk-test-SECRET-0123456789abcdef';

export function llmConfig(baseUrl: string, overrides: Partial<LlmConfig> = {}): LlmConfig {
  return {
    mode: 'llm',
    reason: 'test',
    provider: 'custom',
    baseUrl,
    model: 'fake-model',
    apiKey: SECRET,
    timeoutMs: 5000,
    idleTimeoutMs: 2000,
    maxTokens: { propose: 500, vote: 300 },
    temperature: 0,
    jsonMode: 'auto',
    ...overrides,
  };
}
