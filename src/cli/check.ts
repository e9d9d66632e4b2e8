// `hybrid-tui check`: can the configured endpoint serve the agents? Reachability, model presence,
// one real JSON completion through the same client the agents use, and one verdict line at the
// end that scripts can grep for.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { LlmConfig } from '../agents/config.js';
import { redact } from '../agents/config.js';
import { createLlmClient, networkCode, type LlmClientOptions } from '../agents/llm-client.js';
import { isModelListed } from '../agents/model-names.js';
import { promptText } from '../agents/prompts.js';
import { oneLine } from '../agents/sanitize.js';
import { plural } from '../core/plural.js';
import type { ProposeRequest } from '../core/types.js';
import { describeModels, fetchModelIds } from './model-list.js';

export interface LineOut {
  write(line: string): void;
}

export interface CheckOptions {
  clientOptions?: LlmClientOptions;
}

const MODELS_TIMEOUT_MS = 10_000;
const MODELS_SHOWN = 8;
const MODELS_LISTED = 50;

// A job only one of two nodes can run: a model that answers it right is following the prompt.
const PROBE: ProposeRequest = {
  kind: 'propose',
  agent: { id: 'probe', name: 'Probe-GPU', specialty: 'gpu', weight: 1 },
  job: {
    id: 'probe',
    title: 'Probe Job',
    description: 'A small GPU job to check the endpoint',
    requirements: { minGpus: 1, minRamGb: 16, minCpus: 4 },
  },
  nodes: [
    { id: 'n1', name: 'Cpu-01', cpus: 16, ramGb: 64, gpus: 0, type: 'compute' },
    { id: 'n2', name: 'Gpu-01', cpus: 16, ramGb: 64, gpus: 2, type: 'gpu' },
  ],
  protocol: 'bft',
};
const PROBE_ANSWER = 'n2';

/** Returns the exit code: 0 ready, 1 endpoint not usable, 2 nothing to check (configuration). */
export async function runCheck(
  config: LlmConfig,
  out: LineOut,
  options: CheckOptions = {},
): Promise<number> {
  const say = (line: string) => out.write(redact(line, [config.apiKey]));
  const verdict = (code: number, reason?: string) => {
    say(reason === undefined ? 'verdict: ready' : `verdict: not usable — ${oneLine(reason, 200)}`);
    return code;
  };

  say(`endpoint: ${config.reason}`);
  if (config.mode !== 'llm' || !config.baseUrl) return verdict(2, config.reason);
  say(`key: ${config.apiKey ? 'set' : 'none'}`);
  if (!config.model) return listOnly(config, say, verdict);
  const { model } = config;

  const listed = await listModels(config);
  switch (listed.kind) {
    case 'listed': {
      say(
        `reachable: yes (${plural(listed.ids.length, 'model')} listed in ${ms(listed.latencyMs)})`,
      );
      if (isModelListed(listed.ids, model)) say(`model: ${oneLine(model, 200)} is listed`);
      else {
        const served = describeModels(listed, MODELS_SHOWN);
        say(`model: ${oneLine(model, 200)} is NOT listed (the server lists: ${served})`);
      }
      break;
    }
    case 'no-endpoint':
      say(`reachable: yes (no models list here, HTTP ${listed.status}; model not verified)`);
      break;
    case 'fatal':
      say(`reachable: no (${listed.error})`);
      return verdict(1, listed.error);
    case 'unknown':
      say(`models list: failed (${listed.error}); trying a completion anyway`);
      break;
    default:
      return assertNever(listed);
  }

  const client = createLlmClient(config, options.clientOptions);
  const controller = new AbortController();
  const result = await client.ask(PROBE, promptText(PROBE), {
    callId: 'check',
    signal: controller.signal,
    onDelta: () => undefined,
  });
  if (!result.ok) {
    say(
      `json completion: failed after ${ms(result.latencyMs)} (${plural(result.attempts, 'attempt')})`,
    );
    if (result.raw) say(`raw: ${oneLine(result.raw, 160)}`);
    const hint =
      listed.kind === 'listed' && !isModelListed(listed.ids, model)
        ? ` (model ${oneLine(model, 200)} not listed)`
        : '';
    return verdict(1, `${result.error}${hint}`);
  }
  const ttft = result.ttftMs === null ? '' : `, first token ${ms(result.ttftMs)}`;
  const tokens = result.tokens
    ? `, ${result.tokens.prompt}+${result.tokens.completion} tokens`
    : '';
  say(`json completion: ok in ${ms(result.latencyMs)}${ttft}${tokens}`);
  say(`json mode: ${describeMode(client.jsonMode)}`);
  if (result.answer.kind === 'proposal' && result.answer.nodeId !== PROBE_ANSWER) {
    say(
      `note: the model picked ${result.answer.nodeId}, which misses the probe job's requirements (expected ${PROBE_ANSWER}); its answers may be weak`,
    );
  }
  return verdict(0);
}

/** No model chosen: what the server serves, so the user can pick one. */
async function listOnly(
  config: LlmConfig,
  say: (line: string) => void,
  verdict: (code: number, reason?: string) => number,
): Promise<number> {
  const listed = await listModels(config);
  switch (listed.kind) {
    case 'listed':
      say(
        `reachable: yes (${plural(listed.ids.length, 'model')} listed in ${ms(listed.latencyMs)})`,
      );
      say(`models: ${describeModels(listed, MODELS_LISTED)}`);
      return verdict(2, 'no model chosen: pass --model NAME, one of the models listed above');
    case 'no-endpoint':
      say(`reachable: yes (no models list here, HTTP ${listed.status})`);
      return verdict(2, 'no model chosen, and the server lists none: pass --model NAME');
    case 'fatal':
    case 'unknown':
      say(`reachable: no (${listed.error})`);
      return verdict(1, listed.error);
    default:
      return assertNever(listed);
  }
}

type Listed =
  | { kind: 'listed'; ids: string[]; hidden: number; latencyMs: number }
  | { kind: 'no-endpoint'; status: number }
  | { kind: 'fatal'; error: string }
  | { kind: 'unknown'; error: string };

async function listModels(config: LlmConfig): Promise<Listed> {
  const start = performance.now();
  try {
    const served = await fetchModelIds(
      config.baseUrl ?? '',
      config.apiKey,
      Math.min(config.timeoutMs, MODELS_TIMEOUT_MS),
    );
    return { kind: 'listed', ...served, latencyMs: performance.now() - start };
  } catch (err) {
    if (err instanceof APIConnectionError) {
      const code = networkCode(err);
      const what =
        code === 'ECONNREFUSED'
          ? 'connection refused'
          : code === 'ENOTFOUND'
            ? 'host not found'
            : err instanceof APIConnectionTimeoutError
              ? 'no answer in time'
              : `connection failed${code ? ` (${code})` : ''}`;
      return { kind: 'fatal', error: `cannot reach ${config.baseUrl}: ${what}` };
    }
    if (err instanceof APIError && (err.status === 401 || err.status === 403)) {
      return {
        kind: 'fatal',
        error: `HTTP ${err.status} unauthorized at ${config.baseUrl}: check the API key`,
      };
    }
    if (err instanceof APIError && (err.status === 404 || err.status === 405)) {
      return { kind: 'no-endpoint', status: err.status };
    }
    return {
      kind: 'unknown',
      error: oneLine(err instanceof Error ? err.message : String(err), 120),
    };
  }
}

function describeMode(mode: string): string {
  switch (mode) {
    case 'json_schema':
      return 'json_schema (structured output)';
    case 'json_object':
      return 'json_object (json_schema refused)';
    default:
      return 'off (no response_format accepted; answers are parsed from text)';
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
