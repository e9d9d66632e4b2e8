// `hybrid-tui check` for a run whose agents talk to several endpoints: each distinct endpoint is
// probed in turn by the single-endpoint check (models listed, one JSON completion, latency,
// structured-output level), each ends in its own verdict line, and a last line sums them up.
// Exit 0 only when every endpoint is ready.
import type { LlmConfig } from '../agents/config.js';
import { redact } from '../agents/redact.js';
import { oneLine } from '../agents/sanitize.js';
import { runCheck, type CheckOptions, type LineOut } from './check.js';

export interface CheckTarget {
  config: LlmConfig;
  agents: string[];
}

export async function runChecks(
  targets: readonly CheckTarget[],
  out: LineOut,
  options: CheckOptions = {},
): Promise<number> {
  if (targets.length === 1 && targets[0]) return runCheck(targets[0].config, out, options);
  if (targets.length === 0) {
    out.write('verdict: not usable — every agent is offline, no endpoint to check');
    return 2;
  }
  const secrets = targets.map((t) => t.config.apiKey);
  const say = (line: string) => out.write(redact(line, secrets));
  const failed: string[] = [];
  let worst = 0;
  for (const [i, { config, agents }] of targets.entries()) {
    const name = `${oneLine(config.model ?? '?', 60)} at ${config.baseUrl ?? '?'}`;
    say('');
    say(`== endpoint ${i + 1}/${targets.length}: ${name} (agents: ${agents.join(', ')}) ==`);
    const code = await runCheck(config, out, options);
    if (code !== 0) failed.push(name);
    worst = Math.max(worst, code);
  }
  say('');
  say(
    failed.length === 0
      ? `verdict: all ${targets.length} endpoints ready`
      : `verdict: ${failed.length} of ${targets.length} endpoints not usable (${failed.join('; ')})`,
  );
  return worst;
}
