// The program: parse, dispatch (check, setup, dashboard, headless), map failures to exit codes.
import { createInterface } from 'node:readline/promises';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { configFilePath, redact, type Env } from '../agents/config.js';
import type { HybridEvent } from '../core/events.js';
import { createRuntime } from '../runtime/run-offline.js';
import type { CallRunner } from '../runtime/calls.js';
import { Recorder } from '../runtime/recorder.js';
import type { Runtime } from '../runtime/runtime.js';
import { Session } from '../runtime/session.js';
import { HELP, parseCli, UsageError, type CliOptions } from './args.js';
import { isUserError, loadAgentPlan, prepareRun, type PreparedRun } from './build-run.js';
import { NarrativePrinter } from './narrative.js';
import { quitReport, replayEnd } from './quit-report.js';

export interface Io {
  argv: string[];
  env: Env;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

export async function main(io: Io): Promise<number> {
  const fail = (message: string, code: number) => {
    io.stderr.write(`hybrid-tui: ${message}\n`);
    return code;
  };
  try {
    const opts = parseCli(io.argv);
    if (opts.help) return print(io, HELP);
    if (opts.version) return print(io, version());
    switch (opts.command) {
      case 'check': {
        const [{ runChecks }, { checkTargets }] = await Promise.all([
          import('./check-endpoints.js'),
          import('./agent-plan.js'),
        ]);
        return await runChecks(checkTargets(loadAgentPlan(opts, io.env)), {
          write: (l) => io.stdout.write(`${l}\n`),
        });
      }
      case 'setup':
        return await setup(io);
      case 'run':
        return await run(opts, io);
      default: {
        const never: never = opts.command;
        return never;
      }
    }
  } catch (err) {
    if (isUserError(err)) return fail(err.message, 2);
    return fail(`internal error: ${(err as Error).message?.split('\n')[0] ?? String(err)}`, 1);
  }
}

async function run(opts: CliOptions, io: Io): Promise<number> {
  // The dashboard needs a terminal to draw on and one to read keys from; without either it tells
  // the story as text instead, and ends with the scenario.
  const headless = opts.headless || !io.stdout.isTTY || !io.stdin.isTTY;
  const prepared = prepareRun(opts, io.env, !headless);
  const speed = opts.speed ?? (headless ? 'max' : 1);
  const makeRuntime = (calls: CallRunner) => {
    const runtime = createRuntime(prepared.cfg, { calls, speed });
    if (prepared.recording)
      for (const c of prepared.recording.commands) runtime.scheduleCommand(c.at, c.command);
    return runtime;
  };
  const runtime = makeRuntime(prepared.calls);
  const scrub = (line: string) =>
    prepared.secrets.length > 0 ? redact(line, prepared.secrets) : line;
  const recorder = opts.record !== null ? openRecorder(opts.record, scrub) : null;
  try {
    if (!headless) {
      const session = await dashboardSession(runtime, prepared, opts, makeRuntime);
      if (recorder) session.onEvent((e) => recorder.write(e));
      const { runDashboard } = await import('./dashboard.js');
      const code = await runDashboard(session, {
        modeLabel: prepared.modeLabel,
        scenario: prepared.cfg.scenario.name,
        protocol: prepared.cfg.protocol,
        start: () => session.start(),
        ...(prepared.recording
          ? { replayEnd: replayEnd(prepared.recording, prepared.recordingComplete === true) }
          : {}),
      });
      // Back on the main screen: what the run did, and how to see it again.
      if (code === 0)
        io.stdout.write(`${quitReport(session.lastSummary(), prepared, opts, io.argv)}\n`);
      return code;
    }
    if (recorder) runtime.onEvent((e) => recorder.write(e));
    return await runHeadless(runtime, prepared, opts.json, io, scrub);
  } finally {
    recorder?.close();
  }
}

/** The dashboard's runtime, rewindable: each rewind rebuilds it with answers re-fed. */
async function dashboardSession(
  first: Runtime,
  prepared: PreparedRun,
  opts: CliOptions,
  makeRuntime: (calls: CallRunner) => Runtime,
): Promise<Session> {
  // Model answers are kept to be re-fed; offline ones are recomputed, a replay has its own.
  const refeed = prepared.calls.mode === 'llm' ? await import('../runtime/refeed.js') : null;
  const book = refeed ? new refeed.AnswerBook() : null;
  const rebuildCalls = (): CallRunner => {
    const recorded = book?.recording() ?? null;
    return refeed && recorded
      ? new refeed.RefeedCalls(recorded, prepared.freshCalls())
      : prepared.freshCalls();
  };
  const session = new Session(first, {
    rebuild: () => makeRuntime(rebuildCalls()),
    collectCommands: prepared.recording === null,
    rewindRefusal:
      opts.record !== null
        ? 'rewind is off while recording (--record): the file would hold two runs'
        : null,
  });
  if (book)
    session.onEvent((e) => {
      if (e.type === 'run_start' || e.type === 'llm_request' || e.type === 'llm_response')
        book.note(e);
    });
  return session;
}

async function runHeadless(
  runtime: ReturnType<typeof createRuntime>,
  prepared: PreparedRun,
  json: boolean,
  io: Io,
  scrub: (line: string) => string,
): Promise<number> {
  const write = (line: string) => io.stdout.write(`${scrub(line)}\n`);
  const offlineReason = prepared.llm?.mode === 'offline' ? prepared.llm.reason : null;
  const narrative = json ? null : new NarrativePrinter(write, offlineReason);
  runtime.onEvent((e: HybridEvent) => {
    if (narrative) narrative.on(e);
    else if (e.type !== 'llm_delta') write(JSON.stringify(e));
  });
  // A reader that went away (| head) is not a failure of the run.
  io.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') runtime.stop();
  });
  const stop = () => runtime.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runtime.start();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 0;
}

async function setup(io: Io): Promise<number> {
  const { runSetup } = await import('./setup.js');
  // The key must not be echoed: readline echoes what is typed through this stream, muted then.
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) io.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: Boolean(io.stdin.isTTY) });
  const askSecret = async (question: string) => {
    io.stdout.write(question);
    muted = true;
    try {
      return await rl.question('');
    } finally {
      muted = false;
      io.stdout.write('\n');
    }
  };
  try {
    return await runSetup(
      { ask: (q) => rl.question(q), askSecret, write: (l) => io.stdout.write(`${l}\n`) },
      configFilePath(io.env),
      { env: io.env },
    );
  } finally {
    rl.close();
  }
}

function openRecorder(file: string, scrub: (line: string) => string): Recorder {
  try {
    return new Recorder(file, scrub);
  } catch (err) {
    throw new UsageError(
      `--record: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

function print(io: Io, text: string): number {
  io.stdout.write(`${text}\n`);
  return 0;
}

function version(): string {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return `hybrid-tui ${pkg.version}`;
}
