// The built binary with per-agent endpoints: flag errors, `check` across endpoints, and the
// narrative and JSON of a mixed run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, jsonLines, runCli, runCliAsync, tempDir } from '../cli/helpers.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';

const KEY = 'sk-agent-KEY-do-not-print-42af';
let a: FakeOpenAiServer;
let b: FakeOpenAiServer;

beforeAll(async () => {
  [a, b] = await Promise.all([
    FakeOpenAiServer.start({ models: ['model-a'] }),
    FakeOpenAiServer.start({ models: ['model-b'], apiKey: KEY }),
  ]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

describe('flag errors', () => {
  it.each([
    [['--agent-model', 'alpha'], '--agent-model: "alpha" is not AGENT=VALUE (e.g. alpha=llama3.2)'],
    [
      ['--agent-model', 'zeta=m', '--offline'],
      'unknown agent "zeta" (agents: alpha, beta, gamma, delta, epsilon)',
    ],
    [
      ['--agent-base-url', 'alpha=localhost:11434'],
      '--agent-base-url: "localhost:11434" is not an http(s) URL',
    ],
    [['--agent-model', 'alpha=m'], 'agent "alpha": model "m" but no endpoint'],
  ])('%j exits 2 with one line', (args, message) => {
    const r = runCli(['--headless', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});

describe('check across endpoints', () => {
  const run = () => ['check', '--base-url', a.baseUrl, '--model', 'model-a'];

  it('probes each distinct endpoint, one verdict each, and fails when one does', async () => {
    // beta's server wants a key; the run's HYBRID_TUI_API_KEY is not sent to another host.
    const r = await runCliAsync(
      [...run(), '--agent-base-url', `beta=${b.baseUrl}`, '--agent-model', 'beta=model-b'],
      cleanEnv({ HYBRID_TUI_API_KEY: KEY }),
    ).done;
    expect(r.stdout).toContain(
      `== endpoint 1/2: model-a at ${a.baseUrl} (agents: alpha, gamma, delta, epsilon) ==`,
    );
    expect(r.stdout).toContain(`== endpoint 2/2: model-b at ${b.baseUrl} (agents: beta) ==`);
    expect(r.stdout.match(/^verdict: /gm)).toHaveLength(3);
    expect(r.stdout).toContain('verdict: ready');
    expect(r.stdout).toMatch(/HTTP 401 unauthorized/);
    expect(r.stdout).toMatch(/^verdict: 1 of 2 endpoints not usable \(model-b at /m);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  }, 60_000);

  it("passes when every endpoint does, with the agent's key named in the config file", async () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        agents: { beta: { baseUrl: b.baseUrl, model: 'model-b', apiKeyEnv: 'B_KEY' } },
      }),
    );
    const r = await runCliAsync(run(), cleanEnv({ HYBRID_TUI_CONFIG: config, B_KEY: KEY })).done;
    expect(r.stdout).toContain('verdict: all 2 endpoints ready');
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(KEY);

    const missing = runCli(run(), cleanEnv({ HYBRID_TUI_CONFIG: config }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `hybrid-tui: ${config}: agent "beta": api_key_env B_KEY is not set\n`,
    );
  }, 60_000);
});

describe('a mixed run', () => {
  it('says who is who in the narrative and the JSON, and splits the summary by model', async () => {
    const args = [
      '--scenario',
      'healthy',
      '--seed',
      '4',
      '--base-url',
      a.baseUrl,
      '--model',
      'model-a',
      '--agent-model',
      'epsilon=offline',
      '--agent-model',
      'gamma=model-a2',
    ];
    const [text, json] = await Promise.all([
      runCliAsync(['--headless', ...args]).done,
      runCliAsync(['--json', ...args]).done,
    ]);
    expect(text.code).toBe(0);
    const host = new URL(a.baseUrl).host;
    expect(text.stdout).toContain('agents and their models:');
    expect(text.stdout).toMatch(new RegExp(`Gamma-Compute +model-a2 @ ${host}`));
    expect(text.stdout).toMatch(/Epsilon-Network +offline heuristic/);
    expect(text.stdout).toContain(`[llm model-a2 @ ${host}]`);
    expect(text.stdout).toMatch(
      /by model:\n {4}model-a @ [^[]+\[Alpha-GPU, Beta-Memory, Delta-Storage\]: \d+ llm/,
    );
    expect(text.stdout).toMatch(/ {4}offline \[Epsilon-Network\]: 0 llm, 0 fallback, \d+ offline/);

    const events = jsonLines(json.stdout);
    const start = events.find((e) => e['type'] === 'run_start') as {
      agents: { id: string; model: string | null; endpoint: string | null }[];
    };
    expect(start.agents.map((x) => [x.id, x.model, x.endpoint])).toEqual([
      ['alpha', 'model-a', host],
      ['beta', 'model-a', host],
      ['gamma', 'model-a2', host],
      ['delta', 'model-a', host],
      ['epsilon', null, null],
    ]);
    const responses = events.filter((e) => e['type'] === 'llm_response');
    expect(responses.length).toBeGreaterThan(0);
    for (const r of responses) {
      if (r['agent'] === 'epsilon') expect([r['source'], r['model']]).toEqual(['offline', null]);
      else expect(r['endpoint']).toBe(host);
    }
    const summary = events.find((e) => e['type'] === 'summary') as {
      by_model: Record<string, { calls: { llm: number; offline: number } }>;
    };
    expect(Object.keys(summary.by_model).sort()).toEqual(['model-a', 'model-a2', 'offline']);
    expect(summary.by_model['offline']?.calls.llm).toBe(0);
    expect(summary.by_model['model-a2']?.calls.offline).toBe(0);
  }, 60_000);
});

describe('the five-model example (examples/five-models.json)', () => {
  it('runs with each agent on its own model, pointed here at one local server per run', async () => {
    const file = join(import.meta.dirname, '../../examples/five-models.json');
    // The file names five Ollama models at localhost:11434; the command line moves every agent to
    // the test server and keeps each agent's own model from the file.
    const moved = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].flatMap((id) => [
      '--agent-base-url',
      `${id}=${a.baseUrl}`,
    ]);
    a.reset();
    const r = await runCliAsync(['--json', '--scenario', file, '--seed', '1', ...moved]).done;
    expect(r.code).toBe(0);
    const events = jsonLines(r.stdout);
    const summary = events.find((e) => e['type'] === 'summary') as {
      by_model: Record<string, { agents: string[]; calls: { llm: number } }>;
    };
    expect(Object.keys(summary.by_model).sort()).toEqual([
      'gemma2:9b',
      'llama3.2',
      'mistral',
      'phi3.5',
      'qwen2.5:7b',
    ]);
    expect(summary.by_model['qwen2.5:7b']?.agents).toEqual(['beta']);
    expect(new Set(a.chatRequests().map((q) => q.body?.model))).toEqual(
      new Set(['llama3.2', 'qwen2.5:7b', 'mistral', 'gemma2:9b', 'phi3.5']),
    );
  }, 60_000);
});
