// Domain types shared by every layer. Plain data only, so states and events serialise as JSON.

export type FaultKind = 'byzantine' | 'crash' | 'slow' | 'partition';
/** What a byzantine agent does with its answers and (under bft) its messages. */
export type Adversary = 'original' | 'strategic' | 'equivocate' | 'silent';
export const ADVERSARIES: readonly Adversary[] = ['original', 'strategic', 'equivocate', 'silent'];
export type Protocol = 'classic' | 'bft';
/** The four steps of a round; `idle` between rounds and scenario steps. */
export type Phase = 'idle' | 'propose' | 'select' | 'vote' | 'decide';
export type CallPhase = 'propose' | 'vote';
/** Where an answer came from: a model, the offline heuristic standing in after a failed call, or offline by choice. */
export type AnswerSource = 'llm' | 'fallback' | 'offline';

export interface AgentSpec {
  id: string;
  name: string;
  specialty: string;
  weight: number;
}

export interface NodeSpec {
  id: string;
  name: string;
  cpus: number;
  ramGb: number;
  gpus: number;
  type: string;
}

export interface JobRequirements {
  minGpus: number;
  minRamGb: number;
  minCpus: number;
}

export interface JobSpec {
  id: string;
  title: string;
  description: string;
  requirements: JobRequirements;
  /** The node type a specialist would favour, when the job has one. */
  preferredType?: string;
}

/** What an agent was asked to propose: the job and the whole inventory. */
export interface ProposeRequest {
  kind: 'propose';
  agent: AgentSpec;
  job: JobSpec;
  nodes: NodeSpec[];
  protocol: Protocol;
}

export interface Supporter {
  agent: string;
  score: number;
  reasoning: string;
}

export interface CandidateView {
  nodeId: string;
  /** Classic: the winning proposal's score. BFT: the weighted support. */
  score: number;
  proposer: string;
  supporters: Supporter[];
}

/**
 * What an agent was asked to vote on. Under `classic`, voters see only the one-line summary the
 * original showed (`summaryOnly`); under `bft` they also see the inventory and the supporters.
 */
export interface VoteRequest {
  kind: 'vote';
  agent: AgentSpec;
  job: JobSpec;
  nodes: NodeSpec[];
  protocol: Protocol;
  candidate: CandidateView;
  summaryOnly: boolean;
}

export type AgentRequest = ProposeRequest | VoteRequest;

export interface ProposalAnswer {
  kind: 'proposal';
  nodeId: string;
  score: number;
  reasoning: string;
}

export interface VoteAnswer {
  kind: 'vote';
  vote: 'accept' | 'reject';
  confidence: number;
  reasoning: string;
}

/** A byzantine payload that fails the schema on purpose (the original's `{"corrupted": true}`). */
export interface MalformedAnswer {
  kind: 'malformed';
  raw: string;
}

export type ParsedAnswer = ProposalAnswer | VoteAnswer;
