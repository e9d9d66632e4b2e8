// Per-agent endpoints: how each agent's model, URL and key are resolved from the run's endpoint
// and the layers above it, and the one-line errors for what a user can get wrong.
import { describe, expect, it } from 'vitest';
import {
  distinctEndpoints,
  isHeterogeneous,
  resolveAgentEndpoints,
  type AgentEndpoint,
  type AgentEndpointLayer,
} from '../../src/agents/agent-endpoints.js';
import { ConfigError, resolveLlmConfig, type LlmConfig } from '../../src/agents/config.js';
import { parseConfigText } from '../../src/agents/config-file.js';
import { parseScenarioFile } from '../../src/core/scenario-file.js';

const IDS = ['alpha', 'beta', 'gamma'];
const RUN_KEY = 'sk-run-key-0123456789abcdef';
const OTHER_KEY = 'sk-other-key-0123456789abcdef';

const run: LlmConfig = resolveLlmConfig({
  flags: { baseUrl: 'http://gpu-box:8000/v1', model: 'run-model' },
  env: { HYBRID_TUI_API_KEY: RUN_KEY },
  configFile: null,
});
const offlineRun: LlmConfig = resolveLlmConfig({ flags: {}, env: {}, configFile: null });

function resolve(
  layers: AgentEndpointLayer[],
  opts: { env?: Record<string, string>; base?: LlmConfig; offline?: boolean } = {},
): Map<string, AgentEndpoint> {
  return resolveAgentEndpoints({
    agentIds: IDS,
    run: opts.base ?? run,
    layers,
    env: opts.env ?? {},
    offline: opts.offline ?? false,
  });
}

function llm(e: AgentEndpoint | undefined) {
  if (e?.kind !== 'llm') throw new Error(`expected an llm endpoint, got ${JSON.stringify(e)}`);
  return e.config;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveAgentEndpoints', () => {
  it("gives an agent without settings the run's endpoint, model and key", () => {
    const out = resolve([]);
    for (const id of IDS) {
      expect(llm(out.get(id))).toMatchObject({
        baseUrl: 'http://gpu-box:8000/v1',
        model: 'run-model',
        apiKey: RUN_KEY,
      });
    }
    expect(isHeterogeneous(run, out)).toBe(false);
  });

  it("keeps the run's URL and key for an agent that only names another model", () => {
    const out = resolve([{ source: 's.json', specs: { beta: { model: 'qwen2.5' } } }]);
    expect(llm(out.get('beta'))).toMatchObject({
      baseUrl: 'http://gpu-box:8000/v1',
      model: 'qwen2.5',
      apiKey: RUN_KEY,
    });
    expect(isHeterogeneous(run, out)).toBe(true);
    expect(distinctEndpoints(out).map((g) => g.agents)).toEqual([['alpha', 'gamma'], ['beta']]);
  });

  it("never sends the run's key to another host; uses api_key_env there", () => {
    const out = resolve(
      [
        {
          source: 's.json',
          specs: {
            alpha: { baseUrl: 'http://localhost:11434/v1', model: 'llama3.2' },
            beta: { baseUrl: 'http://other:9000/v1', model: 'm', apiKeyEnv: 'OTHER_KEY' },
          },
        },
      ],
      // The run's key sits in the environment, and still stays with the run's host.
      { env: { OTHER_KEY, HYBRID_TUI_API_KEY: RUN_KEY } },
    );
    expect(llm(out.get('alpha'))).toMatchObject({ model: 'llama3.2', provider: 'ollama' });
    expect(llm(out.get('alpha')).apiKey).toBeUndefined();
    expect(llm(out.get('beta')).apiKey).toBe(OTHER_KEY);
    expect(llm(out.get('beta')).reason).toContain('key from OTHER_KEY');
    expect(llm(out.get('beta')).reason).not.toContain(OTHER_KEY);
  });

  it('uses the provider default model for a known local server given only its URL', () => {
    const out = resolve([
      { source: 'f', specs: { gamma: { baseUrl: 'http://localhost:11434/v1' } } },
    ]);
    expect(llm(out.get('gamma')).model).toBe('llama3.2');
  });

  it('mixes in offline agents with model "offline"', () => {
    const out = resolve([{ source: 'f', specs: { gamma: { model: 'offline' } } }]);
    expect(out.get('gamma')?.kind).toBe('offline');
    expect(out.get('alpha')?.kind).toBe('llm');
    expect(isHeterogeneous(run, out)).toBe(true);
  });

  it('lets later layers win field by field (config file < scenario < command line)', () => {
    const out = resolve([
      { source: 'config', specs: { alpha: { model: 'a', baseUrl: 'http://h1:1/v1' } } },
      { source: 'scenario', specs: { alpha: { model: 'b' } } },
      { source: 'cli', specs: { alpha: { model: 'c' } } },
    ]);
    expect(llm(out.get('alpha'))).toMatchObject({ model: 'c', baseUrl: 'http://h1:1/v1' });
  });

  it('makes every agent offline under --offline', () => {
    const out = resolve([{ source: 'f', specs: { alpha: { model: 'x' } } }], { offline: true });
    expect([...out.values()].every((e) => e.kind === 'offline')).toBe(true);
  });

  it('gives an LLM agent to an otherwise offline run when it has its own base_url', () => {
    const out = resolve(
      [{ source: 'f', specs: { alpha: { baseUrl: 'http://localhost:8080/v1' } } }],
      { base: offlineRun },
    );
    expect(llm(out.get('alpha')).model).toBe('default');
    expect(out.get('beta')?.kind).toBe('offline');
    expect(isHeterogeneous(offlineRun, out)).toBe(true);
  });

  it("skips a lenient layer's agents that this run does not have (the config file under a scenario with its own agents)", () => {
    const out = resolve([
      {
        source: 'config.json',
        specs: { zeta: { model: 'm' }, alpha: { model: 'a' } },
        lenient: true,
      },
    ]);
    expect(llm(out.get('alpha')).model).toBe('a');
    expect([...out.keys()]).toEqual(IDS);
  });

  describe('one-line errors', () => {
    it('names an unknown agent and lists the known ones', () => {
      expect(
        errorOf(() => resolve([{ source: '--agent-model', specs: { zeta: { model: 'm' } } }])),
      ).toBe('--agent-model: unknown agent "zeta" (agents: alpha, beta, gamma)');
    });

    it('names a bad URL', () => {
      expect(
        errorOf(() => resolve([{ source: 's.json', specs: { beta: { baseUrl: 'ftp://x' } } }])),
      ).toBe('s.json: agent "beta": base_url: expected an http(s) URL, got "ftp://x"');
    });

    it('names the missing variable, never a key', () => {
      const message = errorOf(() =>
        resolve([{ source: 's.json', specs: { beta: { apiKeyEnv: 'BETA_KEY' } } }], {
          env: { OTHER_KEY },
        }),
      );
      expect(message).toBe('s.json: agent "beta": api_key_env BETA_KEY is not set');
    });

    it('refuses a key pasted where its variable name belongs, without printing it', () => {
      const message = errorOf(() =>
        resolve([{ source: 's.json', specs: { beta: { apiKeyEnv: OTHER_KEY } } }]),
      );
      expect(message).toContain('api_key_env must be the NAME of an environment variable');
      expect(message).not.toContain(OTHER_KEY);
      expect(message).not.toContain('0123456789');
    });

    it('asks for the key of a hosted provider', () => {
      expect(
        errorOf(() =>
          resolve([
            { source: 's.json', specs: { alpha: { baseUrl: 'https://api.sambanova.ai/v1' } } },
          ]),
        ),
      ).toBe(
        's.json: agent "alpha": SambaNova needs an API key: set SAMBANOVA_API_KEY or give the agent an api_key_env',
      );
    });

    it('refuses a model with no endpoint to ask it at', () => {
      expect(
        errorOf(() =>
          resolve([{ source: 'f', specs: { alpha: { model: 'm' } } }], { base: offlineRun }),
        ),
      ).toContain('agent "alpha": model "m" but no endpoint');
    });

    it('asks for a model where the server has no default', () => {
      expect(
        errorOf(() =>
          resolve([{ source: 'f', specs: { alpha: { baseUrl: 'http://other:1/v1' } } }]),
        ),
      ).toContain('no model for OpenAI-compatible endpoint at http://other:1/v1');
    });
  });
});

describe('where per-agent settings are written', () => {
  it('reads them from a scenario file (snake_case) and keeps the agents as they were', () => {
    const loaded = parseScenarioFile(
      JSON.stringify({
        name: 'mix',
        agents: [
          { id: 'a', name: 'A', specialty: 'gpu', weight: 1, model: 'llama3.2' },
          {
            id: 'b',
            name: 'B',
            specialty: 'memory',
            weight: 1,
            base_url: 'http://localhost:8000/v1',
            api_key_env: 'VLLM_KEY',
          },
          { id: 'c', name: 'C', specialty: 'network', weight: 1 },
        ],
        steps: [{ type: 'rounds', count: 1 }],
      }),
      'mix.json',
    );
    expect(loaded.agents).toEqual([
      { id: 'a', name: 'A', specialty: 'gpu', weight: 1 },
      { id: 'b', name: 'B', specialty: 'memory', weight: 1 },
      { id: 'c', name: 'C', specialty: 'network', weight: 1 },
    ]);
    expect(loaded.endpoints).toEqual({
      a: { model: 'llama3.2' },
      b: { baseUrl: 'http://localhost:8000/v1', apiKeyEnv: 'VLLM_KEY' },
    });
  });

  it('reads them from the config file (camelCase), strictly', () => {
    const file = parseConfigText(
      JSON.stringify({
        agents: { alpha: { model: 'm', baseUrl: 'http://h:1/v1', apiKeyEnv: 'K' } },
      }),
      'config.json',
    );
    expect(file.agents?.['alpha']).toEqual({
      model: 'm',
      baseUrl: 'http://h:1/v1',
      apiKeyEnv: 'K',
    });
    expect(() =>
      parseConfigText(JSON.stringify({ agents: { alpha: { apiKey: 'sk-x' } } }), 'config.json'),
    ).toThrow('config.json: unknown field "apiKey"');
  });
});
