// The run without a dashboard: the narrative or JSON Lines on stdout, in batches (line-sink.ts),
// ended early by a signal (exit 130/143, saying so), by a reader that went away (quietly, calls in
// flight cancelled), or by a failed write (one line, exit 1).
import type { HybridEvent } from '../core/events.js';
import { plural } from '../core/plural.js';
import type { Runtime } from '../runtime/runtime.js';
import { writeJsonBytes } from '../runtime/json-bytes.js';
import { escapeUnsafeBytes, jsonLine } from '../runtime/json-line.js';
import { LineSink, type SinkTarget } from './line-sink.js';
import { NarrativePrinter } from './narrative.js';
import { Outcome, SIGNAL_CODES } from './outcome.js';

export interface HeadlessOptions {
  json: boolean;
  /** Why the run is offline, for the narrative's header. */
  offlineReason: string | null;
  /** Redacts secrets from a line. */
  scrub: (line: string) => string;
  /** False when there is no secret, so scrub changes nothing. */
  redacts: boolean;
  stdout: SinkTarget & { on?(event: 'error', listener: (err: Error) => void): unknown };
  outcome: Outcome;
  /** Where signals are heard (the process, unless a test stands in). */
  signals?: NodeJS.EventEmitter;
}

export async function runHeadless(runtime: Runtime, opts: HeadlessOptions): Promise<number> {
  const { outcome, scrub } = opts;
  // Errors arrive through each write's callback; a listener keeps the stream from throwing too.
  opts.stdout.on?.('error', () => {});
  const sink = new LineSink(opts.stdout, {
    onError: (err) => {
      // A reader that went away (| head) is not a failure of the run: stop, say nothing.
      if (err.code === 'EPIPE') outcome.fail(0, null);
      else outcome.fail(1, `cannot write to stdout (${err.code ?? err.message})`);
    },
    ...(opts.json ? { transform: escapeUnsafeBytes } : {}),
  });
  const write = (line: string) => sink.line(scrub(line));
  const narrative = opts.json ? null : new NarrativePrinter(write, opts.offlineReason);
  // With no secret to redact, JSON is written straight into the batch as bytes (json-bytes.ts).
  const json = opts.redacts
    ? (e: HybridEvent) => write(jsonLine(e))
    : (e: HybridEvent) => {
        if (!sink.open) return;
        writeJsonBytes(e, sink);
        sink.endLine();
      };
  let rounds = 0;
  runtime.onEvent((e: HybridEvent) => {
    if (e.type === 'round_start') rounds++;
    if (narrative) narrative.on(e);
    else if (e.type !== 'llm_delta') json(e);
  });

  const signals = opts.signals ?? process;
  const handlers = Object.entries(SIGNAL_CODES).map(([signal, code]) => {
    const handler = () => {
      if (narrative)
        write(`\nRUN INTERRUPTED by ${signal}: the summary covers the rounds run so far`);
      outcome.fail(code, `interrupted by ${signal} after ${plural(rounds, 'round')}`);
    };
    signals.on(signal, handler);
    return [signal, handler] as const;
  });
  try {
    await runtime.start();
  } finally {
    for (const [signal, handler] of handlers) signals.off(signal, handler);
  }
  const err = await sink.close();
  if (err && err.code !== 'EPIPE' && outcome.code === 0)
    outcome.fail(1, `cannot write to stdout (${err.code ?? err.message})`);
  return outcome.code;
}
