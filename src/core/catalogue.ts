// The defaults: the original demo's agents, cluster and jobs, plus jobs with other shapes so
// that every specialist has a job it is best placed to judge.
import type { AgentSpec, JobSpec, NodeSpec } from './types.js';

export const DEFAULT_AGENTS: readonly AgentSpec[] = [
  { id: 'alpha', name: 'Alpha-GPU', specialty: 'gpu', weight: 1.3 },
  { id: 'beta', name: 'Beta-Memory', specialty: 'memory', weight: 1.2 },
  { id: 'gamma', name: 'Gamma-Compute', specialty: 'compute', weight: 1.1 },
  { id: 'delta', name: 'Delta-Storage', specialty: 'storage', weight: 1.0 },
  { id: 'epsilon', name: 'Epsilon-Network', specialty: 'network', weight: 0.9 },
];

export const DEFAULT_NODES: readonly NodeSpec[] = [
  { id: 'n1', name: 'GPU-Server-01', cpus: 32, ramGb: 256, gpus: 4, type: 'gpu' },
  { id: 'n2', name: 'GPU-Server-02', cpus: 32, ramGb: 256, gpus: 4, type: 'gpu' },
  { id: 'n3', name: 'HighMem-01', cpus: 64, ramGb: 512, gpus: 0, type: 'memory' },
  { id: 'n4', name: 'HighMem-02', cpus: 64, ramGb: 512, gpus: 0, type: 'memory' },
  { id: 'n5', name: 'Compute-01', cpus: 128, ramGb: 128, gpus: 0, type: 'compute' },
  { id: 'n6', name: 'Storage-01', cpus: 16, ramGb: 64, gpus: 0, type: 'storage' },
];

export const DEFAULT_JOBS: readonly JobSpec[] = [
  {
    id: 'ai-training',
    title: 'AI Training Job',
    description:
      'AI Training Job: Deep learning model training requiring 4 GPU nodes with high memory bandwidth',
    requirements: { minGpus: 4, minRamGb: 128, minCpus: 16 },
    preferredType: 'gpu',
  },
  {
    id: 'data-analytics',
    title: 'Data Analytics Job',
    description:
      'Data Analytics Job: Large-scale data processing requiring high memory capacity for in-memory analytics',
    requirements: { minGpus: 0, minRamGb: 384, minCpus: 32 },
    preferredType: 'memory',
  },
  {
    id: 'ml-pipeline',
    title: 'ML Pipeline Job',
    description:
      'ML Pipeline Job: End-to-end machine learning pipeline with GPU training and CPU inference stages',
    requirements: { minGpus: 2, minRamGb: 128, minCpus: 32 },
    preferredType: 'gpu',
  },
  {
    id: 'cfd-simulation',
    title: 'CFD Simulation Job',
    description:
      'CFD Simulation Job: Computational fluid dynamics solver needing many CPU cores and no GPUs',
    requirements: { minGpus: 0, minRamGb: 96, minCpus: 96 },
    preferredType: 'compute',
  },
  {
    id: 'genomics-assembly',
    title: 'Genomics Assembly Job',
    description:
      'Genomics Assembly Job: de novo genome assembly holding a large graph in memory on many cores',
    requirements: { minGpus: 0, minRamGb: 256, minCpus: 48 },
    preferredType: 'memory',
  },
  {
    id: 'log-archive',
    title: 'Log Archive Job',
    description:
      'Log Archive Job: compress and index a week of cluster logs; light on CPU, heavy on disk I/O',
    requirements: { minGpus: 0, minRamGb: 32, minCpus: 8 },
    preferredType: 'storage',
  },
  {
    id: 'llm-inference',
    title: 'LLM Inference Job',
    description:
      'LLM Inference Job: serve a 70B model with batched requests; needs GPUs and plenty of RAM',
    requirements: { minGpus: 4, minRamGb: 192, minCpus: 24 },
    preferredType: 'gpu',
  },
  // Wide valid sets: several nodes can run these, some far better than others, so a valid but
  // wasteful choice (a GPU server for CPU work) shows as regret.
  {
    id: 'batch-etl',
    title: 'Batch ETL Job',
    description:
      'Batch ETL Job: nightly extract-transform-load over many files; CPU-bound, no GPUs needed',
    requirements: { minGpus: 0, minRamGb: 96, minCpus: 24 },
    preferredType: 'compute',
  },
  {
    id: 'feature-store',
    title: 'Feature Store Job',
    description:
      'Feature Store Job: serve ML features from a large in-memory table; RAM matters, GPUs do not',
    requirements: { minGpus: 0, minRamGb: 128, minCpus: 16 },
    preferredType: 'memory',
  },
];

export const FAKE_NODE_ID = 'n999';
