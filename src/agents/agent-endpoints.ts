// Each agent its own model and endpoint. The run's endpoint (config.ts) is the default; the config
// file, then the scenario file, then the command line may give an agent its own `model`,
// `base_url` and `api_key_env` (the NAME of the variable holding its key: a key itself never sits
// in a file or a flag). `model: "offline"` makes that agent the offline heuristic. A key is only
// sent to the endpoint it belongs to: an agent on another host never gets the run's key.
import { ConfigError, isHttpUrl, nonEmpty, normaliseUrl, type Env } from './config-checks.js';
import type { LlmConfig } from './config.js';
import { PROVIDERS, providerOfUrl } from './providers.js';
import { oneLine } from './sanitize.js';

/** What one source says about one agent; any field may be missing. */
export interface AgentEndpointSpec {
  model?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
}

/** One source of per-agent settings, lowest precedence first when several are given. */
export interface AgentEndpointLayer {
  /** For messages: the file or flag the settings came from. */
  source: string;
  specs: Readonly<Record<string, AgentEndpointSpec>>;
  /** Entries for agents this run does not have are skipped, not refused (see agent-plan.ts). */
  lenient?: boolean;
}

export type AgentEndpoint =
  | { kind: 'offline'; reason: string }
  | { kind: 'llm'; config: LlmConfig & { mode: 'llm'; baseUrl: string; model: string } };

export const OFFLINE_MODEL = 'offline';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export interface AgentEndpointInput {
  agentIds: readonly string[];
  /** The run's own endpoint (or offline), already resolved. */
  run: LlmConfig;
  layers: readonly AgentEndpointLayer[];
  env: Env;
  /** --offline: nothing calls a model, whatever the files say. */
  offline: boolean;
}

/** Every agent's endpoint, in the order of `agentIds`. Throws ConfigError (one line) on a bad value. */
export function resolveAgentEndpoints(input: AgentEndpointInput): Map<string, AgentEndpoint> {
  const { agentIds, run, layers, env } = input;
  const merged = new Map<string, { spec: AgentEndpointSpec; source: string }>();
  for (const layer of layers) {
    for (const [id, spec] of Object.entries(layer.specs)) {
      if (!agentIds.includes(id)) {
        if (layer.lenient) continue;
        throw new ConfigError(
          `${layer.source}: unknown agent "${oneLine(id, 40)}" (agents: ${agentIds.join(', ')})`,
        );
      }
      checkSpec(spec, `${layer.source}: agent "${id}"`);
      const before = merged.get(id);
      merged.set(id, { spec: { ...before?.spec, ...definedOnly(spec) }, source: layer.source });
    }
  }
  const out = new Map<string, AgentEndpoint>();
  for (const id of agentIds) {
    const entry = merged.get(id);
    out.set(
      id,
      input.offline
        ? { kind: 'offline', reason: '--offline given' }
        : resolveOne(id, entry?.spec ?? {}, entry?.source ?? '', run, env),
    );
  }
  return out;
}

/** True when some agent's endpoint differs from the run's (or some agent is offline in an llm run). */
export function isHeterogeneous(run: LlmConfig, endpoints: ReadonlyMap<string, AgentEndpoint>) {
  for (const e of endpoints.values()) {
    if (e.kind === 'offline' ? run.mode === 'llm' : !sameEndpoint(e.config, run)) return true;
  }
  return false;
}

/** The endpoints a run talks to, each once (an endpoint is a URL, a model and a key). */
export function distinctEndpoints(
  endpoints: ReadonlyMap<string, AgentEndpoint>,
): { config: AgentEndpoint & { kind: 'llm' }; agents: string[] }[] {
  const groups: { config: AgentEndpoint & { kind: 'llm' }; agents: string[] }[] = [];
  for (const [agent, e] of endpoints) {
    if (e.kind !== 'llm') continue;
    const group = groups.find((g) => sameEndpoint(g.config.config, e.config));
    if (group) group.agents.push(agent);
    else groups.push({ config: e, agents: [agent] });
  }
  return groups;
}

/** The host (and port) of a base URL: never its path, user or password. */
export function endpointHost(baseUrl: string | null): string | null {
  if (!baseUrl) return null;
  try {
    return new URL(baseUrl).host;
  } catch {
    return null;
  }
}

function sameEndpoint(a: LlmConfig, b: LlmConfig): boolean {
  return a.baseUrl === b.baseUrl && a.model === b.model && a.apiKey === b.apiKey;
}

function resolveOne(
  id: string,
  spec: AgentEndpointSpec,
  source: string,
  run: LlmConfig,
  env: Env,
): AgentEndpoint {
  const where = `${source}: agent "${id}"`;
  if (spec.model === OFFLINE_MODEL) return { kind: 'offline', reason: `${where} is offline` };
  if (spec.model === undefined && spec.baseUrl === undefined && spec.apiKeyEnv === undefined) {
    if (run.mode === 'llm' && run.baseUrl && run.model) {
      return {
        kind: 'llm',
        config: { ...run, mode: 'llm', baseUrl: run.baseUrl, model: run.model },
      };
    }
    return { kind: 'offline', reason: run.reason };
  }
  const baseUrl = spec.baseUrl !== undefined ? normaliseUrl(spec.baseUrl) : run.baseUrl;
  if (!baseUrl) {
    throw new ConfigError(
      `${where}: model "${oneLine(spec.model ?? '', 60)}" but no endpoint: give the agent a base_url, or the run --base-url`,
    );
  }
  const provider = providerOfUrl(baseUrl);
  const info = PROVIDERS[provider];
  const same = run.mode === 'llm' && baseUrl === run.baseUrl;
  let apiKey: string | undefined;
  let keySource: string;
  if (spec.apiKeyEnv !== undefined) {
    apiKey = nonEmpty(env[spec.apiKeyEnv]);
    if (!apiKey) throw new ConfigError(`${where}: api_key_env ${spec.apiKeyEnv} is not set`);
    keySource = `key from ${spec.apiKeyEnv}`;
  } else if (same) {
    apiKey = run.apiKey;
    keySource = apiKey ? "the run's key" : 'no key';
  } else {
    // Only a provider's own variable: the generic HYBRID_TUI_API_KEY belongs to the run's
    // endpoint, and another host must not receive it unasked (api_key_env is how to ask).
    const name = info.keyEnv && nonEmpty(env[info.keyEnv]) ? info.keyEnv : null;
    apiKey = name ? nonEmpty(env[name]) : undefined;
    keySource = name ? `key from ${name}` : 'no key';
  }
  if (!info.local && info.keyEnv && !apiKey) {
    throw new ConfigError(
      `${where}: ${info.label} needs an API key: set ${info.keyEnv} or give the agent an api_key_env`,
    );
  }
  const model = spec.model ?? (same ? run.model : info.model);
  if (!model) {
    throw new ConfigError(
      `${where}: no model for ${info.label} at ${baseUrl}: give the agent a model`,
    );
  }
  return {
    kind: 'llm',
    config: {
      ...run,
      mode: 'llm',
      reason: `agent ${id}: ${info.label} at ${baseUrl}, model ${model} (${source}, ${keySource})`,
      provider,
      baseUrl,
      model,
      apiKey,
    },
  };
}

function checkSpec(spec: AgentEndpointSpec, where: string): void {
  if (spec.model !== undefined && spec.model.trim() === '')
    throw new ConfigError(`${where}: empty model name`);
  if (spec.baseUrl !== undefined && !isHttpUrl(spec.baseUrl)) {
    throw new ConfigError(
      `${where}: base_url: expected an http(s) URL, got "${oneLine(spec.baseUrl, 60)}"`,
    );
  }
  // The value is not echoed: a key pasted where its variable's name belongs must not be printed.
  if (spec.apiKeyEnv !== undefined && !ENV_NAME.test(spec.apiKeyEnv)) {
    throw new ConfigError(
      `${where}: api_key_env must be the NAME of an environment variable (letters, digits, _), not a key`,
    );
  }
}

function definedOnly(spec: AgentEndpointSpec): AgentEndpointSpec {
  return Object.fromEntries(
    Object.entries(spec).filter(([, v]) => v !== undefined),
  ) as AgentEndpointSpec;
}
