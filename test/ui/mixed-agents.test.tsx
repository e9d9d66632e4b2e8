// Heterogeneous agents on screen: each row says its model and short host when the agents differ,
// nothing when they all ask the same one, and the Enter detail names the model and endpoint.
import { Text } from 'ink';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { AgentDetail } from '../../components/AgentDetail.js';
import { AgentsPane } from '../../components/AgentsPane.js';
import { modelTag, shortHost } from '../../components/agentRow.js';
import type { HybridEvent, RunStartEvent } from '../../src/core/events.js';
import { runStart } from './fixtures.js';
import { renderPane, storeWith } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));
afterEach(() => cleanup());

const LABELS: [string | null, string | null][] = [
  ['llama3.2', 'localhost:11434'],
  ['qwen2.5:7b', 'localhost:11434'],
  ['Qwen/Qwen2.5-7B-Instruct', 'gpu-box:8000'],
  ['Meta-Llama-3.3-70B-Instruct', 'api.sambanova.ai'],
  [null, null],
];

function mixedStart(labels = LABELS): HybridEvent {
  const base = runStart() as RunStartEvent;
  return {
    ...base,
    mode: 'llm',
    model: null,
    agents: base.agents.map((a, i) => ({
      ...a,
      model: labels[i]?.[0] ?? null,
      endpoint: labels[i]?.[1] ?? null,
    })),
  };
}

describe('who is who', () => {
  test('each row carries its model and short host, right after the weight, when the agents differ', () => {
    const frame = renderPane(
      <AgentsPane width={120} height={7} />,
      storeWith([mixedStart()]),
    ).frame();
    expect(frame).toMatch(/Alpha-GPU +gpu +1\.3 llama3\.2@:11434 +calls/);
    expect(frame).toMatch(/Beta-Memory +memory +1\.2 qwen2\.5:7b@:11434  +calls/);
    // Long tags are cut in the middle so the model's start and the host both survive.
    expect(frame).toMatch(/Gamma-Compute +compute +1\.1 Qwen\/Qwen2\.…u-box:8000  +calls/);
    expect(frame).toMatch(/Delta-Storage +storage +1\.0 Meta-Llama-…mbanova\.ai  +calls/);
    expect(frame).toMatch(/Epsilon-Network +network +0\.9 offline  +calls/);
  });

  test('the host is left out when every agent is on the same one', () => {
    const oneHost = LABELS.map(([m]): [string, string] => [m ?? 'x', 'localhost:11434']);
    const frame = renderPane(
      <AgentsPane width={120} height={7} />,
      storeWith([mixedStart(oneHost)]),
    ).frame();
    expect(frame).toMatch(/Alpha-GPU +gpu +1\.3 llama3\.2  +calls/);
    expect(frame).not.toContain(':11434');
  });

  test('rows stay as they were when every agent asks the same model', () => {
    const same = LABELS.map((): [string, string] => ['llama3.2', 'localhost:11434']);
    const frame = renderPane(
      <AgentsPane width={120} height={7} />,
      storeWith([mixedStart(same)]),
    ).frame();
    expect(frame).not.toContain('llama3.2');
  });

  test('the Enter detail names the model and the endpoint', () => {
    const store = storeWith([mixedStart()]);
    store.getState().actions.selectAgent(2);
    const frame = renderPane(<AgentDetail width={100} height={12} />, store).frame();
    expect(frame).toContain('model: Qwen/Qwen2.5-7B-Instruct  at gpu-box:8000');
    store.getState().actions.selectAgent(4);
    const offline = renderPane(<AgentDetail width={100} height={12} />, store).frame();
    expect(offline).toContain('model: offline heuristic (no model is called)');
  });

  test('short hosts and tags', () => {
    expect(shortHost('localhost:11434')).toBe(':11434');
    expect(shortHost('127.0.0.1:8080')).toBe(':8080');
    expect(shortHost('api.openai.com')).toBe('openai.com');
    expect(modelTag({ model: undefined, endpoint: undefined })).toBeNull();
    expect(modelTag({ model: null, endpoint: null })).toBe('offline');
    expect(modelTag({ model: 'm', endpoint: 'localhost:1' }, false)).toBe('m');
  });
});
