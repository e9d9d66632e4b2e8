// Who each agent talks to, from the run's endpoint and the per-agent settings of the config file,
// the scenario file and the command line (in that order of precedence, lowest first), and the
// call runner that carries it out.
import {
  distinctEndpoints,
  isHeterogeneous,
  resolveAgentEndpoints,
  type AgentEndpoint,
  type AgentEndpointLayer,
  type AgentEndpointSpec,
} from '../agents/agent-endpoints.js';
import { loadConfigFile, type Env, type LlmConfig } from '../agents/config.js';
import { createLlmClient } from '../agents/llm-client.js';
import type { LlmAgentClient } from '../agents/llm-types.js';
import type { CallRunner } from '../runtime/calls.js';
import { LlmCalls } from '../runtime/llm-calls.js';
import { OfflineCalls } from '../runtime/offline-calls.js';
import { PerAgentCalls } from '../runtime/per-agent-calls.js';
import type { CliOptions } from './args.js';

export interface AgentPlan {
  run: LlmConfig;
  endpoints: Map<string, AgentEndpoint>;
  heterogeneous: boolean;
}

export function planAgents(
  opts: Pick<CliOptions, 'offline' | 'agentEndpoints'>,
  env: Env,
  run: LlmConfig,
  agentIds: readonly string[],
  scenario: {
    file: string;
    endpoints: Readonly<Record<string, AgentEndpointSpec>>;
    ownAgents: boolean;
  } | null,
): AgentPlan {
  const file = loadConfigFile(env);
  const layers: AgentEndpointLayer[] = [];
  // The config file serves every scenario: one with agents of its own is not refused for the
  // file's entries about the default agents (with the default agents, a typo is still an error).
  if (file.config?.agents)
    layers.push({ source: file.path, specs: file.config.agents, lenient: scenario?.ownAgents });
  if (scenario) layers.push({ source: scenario.file, specs: scenario.endpoints });
  if (Object.keys(opts.agentEndpoints).length > 0)
    layers.push({ source: '--agent-model/--agent-base-url', specs: opts.agentEndpoints });
  const endpoints = resolveAgentEndpoints({
    agentIds,
    run,
    layers,
    env,
    offline: opts.offline,
  });
  return { run, endpoints, heterogeneous: isHeterogeneous(run, endpoints) };
}

/** The LLM configurations `check` must probe: every distinct endpoint, or the run's own. */
export function checkTargets(plan: AgentPlan): { config: LlmConfig; agents: string[] }[] {
  if (!plan.heterogeneous) return [{ config: plan.run, agents: [...plan.endpoints.keys()] }];
  return distinctEndpoints(plan.endpoints).map((g) => ({
    config: g.config.config,
    agents: g.agents,
  }));
}

export interface PlannedCalls {
  calls: CallRunner;
  modeLabel: string;
  secrets: string[];
  /** Whether any agent calls a model (the phase deadline then waits for the network). */
  llm: boolean;
}

export function callsFor(
  plan: AgentPlan,
  concurrency: number | null,
  noise?: { p: number; seed: number },
): PlannedCalls {
  const { run } = plan;
  if (!plan.heterogeneous) {
    if (run.mode !== 'llm')
      return { calls: new OfflineCalls(noise), modeLabel: 'offline', secrets: [], llm: false };
    return {
      calls: new LlmCalls(createLlmClient(run), concurrency ?? plan.endpoints.size),
      modeLabel: `llm ${run.model ?? ''}`,
      secrets: run.apiKey ? [run.apiKey] : [],
      llm: true,
    };
  }
  const clients = new Map<string, LlmAgentClient | null>();
  const secrets = new Set<string>();
  for (const [agent, e] of plan.endpoints) {
    if (e.kind === 'offline') {
      clients.set(agent, null);
      continue;
    }
    // One client per agent: each learns for itself what its endpoint and model accept.
    clients.set(agent, createLlmClient(e.config));
    if (e.config.apiKey) secrets.add(e.config.apiKey);
  }
  const calls = new PerAgentCalls(clients, concurrency);
  const models = new Set([...clients.values()].filter((c) => c !== null).map((c) => c.model));
  const offline = [...clients.values()].filter((c) => c === null).length;
  const label = models.size === 1 ? `llm ${[...models][0] ?? ''}` : `llm ${models.size} models`;
  return {
    calls,
    modeLabel: offline > 0 ? `${label} + ${offline} offline` : label,
    secrets: [...secrets],
    llm: calls.mode === 'llm',
  };
}
