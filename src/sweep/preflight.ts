// Before a sweep's runs against a model: one call made as a run makes it. A dead endpoint, a
// wrong model name or a refused key then ends the sweep at once, in one line, with nothing
// written, instead of every call of every run falling back to the offline heuristic one by one
// (the smoke preset took minutes against a closed port, silent with --quiet, and its results
// would have been the heuristic's). A second try, so that one unusable answer from a live model
// does not stop a sweep.
import type { LlmAgentClient } from '../agents/llm-types.js';
import { promptText } from '../agents/prompts.js';
import { redact } from '../agents/redact.js';
import { DEFAULT_AGENTS, DEFAULT_JOBS, DEFAULT_NODES } from '../core/catalogue.js';
import type { ProposeRequest } from '../core/types.js';
import { SweepError } from './errors.js';

const TRIES = 2;

export async function preflight(client: LlmAgentClient, secrets: readonly string[]): Promise<void> {
  const agent = DEFAULT_AGENTS[0];
  const job = DEFAULT_JOBS[0];
  if (!agent || !job) return;
  const request: ProposeRequest = {
    kind: 'propose',
    agent,
    job,
    nodes: [...DEFAULT_NODES],
    protocol: 'bft',
  };
  let error = '';
  for (let i = 0; i < TRIES; i++) {
    const result = await client.ask(request, promptText(request), {
      callId: `sweep-preflight-${i}`,
      signal: new AbortController().signal,
      onDelta: () => {},
    });
    if (result.ok) return;
    error = result.error;
  }
  throw new SweepError(
    redact(
      `sweep: ${client.model} at ${client.baseUrl} gave no usable answer in ${TRIES} tries (${error}): nothing was run; hybrid-tui check tests the endpoint`,
      secrets,
    ),
  );
}
