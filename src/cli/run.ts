// The program: parse, dispatch (check, setup, dashboard, headless), map failures to exit codes.
import { createInterface } from 'node:readline/promises';
import { readFileSync, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { configFilePath, redact, type Env } from '../agents/config.js';
import { oneLine } from '../agents/sanitize.js';
import { createRuntime } from '../runtime/run-offline.js';
import { Recorder } from '../runtime/recorder.js';
import type { CallRunner } from '../runtime/calls.js';
import { Session } from '../runtime/session.js';
import { HELP, parseCli, UsageError, type CliOptions } from './args.js';
import type { Recording } from '../runtime/replay.js';
import { ReplayCheck } from '../runtime/replay-check.js';
import type { Runtime } from '../runtime/runtime.js';
import { isUserError, loadAgentPlan, prepareRun, type PreparedRun } from './build-run.js';
import { runHeadless } from './headless.js';
import { Outcome } from './outcome.js';
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
    sayError(io, message);
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
        const plan = loadAgentPlan(opts, io.env, true);
        // No model chosen: the run's endpoint is asked what it serves.
        const targets =
          plan.run.mode === 'llm' && !plan.run.model
            ? [{ config: plan.run, agents: [] }]
            : checkTargets(plan);
        return await runChecks(targets, {
          write: (l) => io.stdout.write(`${l}\n`),
        });
      }
      case 'setup':
        return await setup(io, opts);
      case 'sweep': {
        const { sweepCommand } = await import('../sweep/command.js');
        return await sweepCommand(opts.sweepArgv, io);
      }
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

/**
 * One line on stderr. Messages quote what the user gave (a scenario file's unknown key, the
 * token a parser choked on, a recording's field), which may hold escape sequences: they are
 * stripped here, where every error reaches the terminal.
 */
function sayError(io: Io, message: string): void {
  io.stderr.write(`hybrid-tui: ${oneLine(message)}\n`);
}

async function run(opts: CliOptions, io: Io): Promise<number> {
  // The dashboard needs a terminal to draw on and one to read keys from; without either it tells
  // the story as text instead, and ends with the scenario.
  const headless = opts.headless || !io.stdout.isTTY || !io.stdin.isTTY;
  const prepared = prepareRun(opts, io.env, !headless);
  const speed = opts.speed ?? (headless ? 'max' : 1);
  const outcome = new Outcome();
  const store = headless ? null : await dashboardStore(prepared);
  const mismatch = (message: string, round: number) => {
    // Headless: exit 1 now. The dashboard shows it in red and goes on; the exit code says it too.
    if (store) {
      store.getState().actions.setNotice(`REPLAY MISMATCH at round ${round}: recording altered`);
      outcome.note(1, message);
    } else outcome.fail(1, message);
  };
  /** The check of the last runtime made (a rewind's replaces the one before): the run's own. */
  const replay: { check: { end: () => void } | null } = { check: null };
  // A rewind (the dashboard's u) builds the run again on the same config and bounds. It replays
  // from the start, so a replay is checked from the start again: a rewind before an altered
  // decision must not let it through.
  const makeRuntime = (calls: CallRunner) => {
    const made = createRuntime(prepared.cfg, { calls, speed });
    if (prepared.recording) {
      replayBounds(made, prepared.recording);
      replay.check = replayRecording(made, prepared.recording, mismatch);
    }
    return made;
  };
  const runtime = makeRuntime(prepared.calls);
  outcome.onStop(() => runtime.stop());
  const scrub = (line: string) =>
    prepared.secrets.length > 0 ? redact(line, prepared.secrets) : line;
  const recorder =
    opts.record !== null ? openRecorder(opts, scrub, (m) => outcome.fail(1, m)) : null;
  if (recorder) runtime.onEvent((e) => recorder.write(e));
  let code: number;
  try {
    if (!headless) {
      const session = await dashboardSession(runtime, prepared, opts, makeRuntime);
      const { runDashboard } = await import('./dashboard.js');
      code = await runDashboard(session, {
        ...(store ? { store } : {}),
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
    } else {
      code = await runHeadless(runtime, {
        json: opts.json,
        offlineReason: prepared.llm?.mode === 'offline' ? prepared.llm.reason : null,
        scrub,
        redacts: prepared.secrets.length > 0,
        stdout: io.stdout,
        outcome,
      });
    }
  } finally {
    recorder?.close();
  }
  replay.check?.end();
  if (outcome.message !== null) sayError(io, outcome.message);
  return code !== 0 ? code : outcome.code;
}

/** The recording's keypresses at their times, and its end: where the replay stops. */
function replayBounds(runtime: Runtime, recording: Recording): void {
  for (const c of recording.commands) runtime.scheduleCommand(c.at, c.command);
  // A dashboard recording carries free play, which would otherwise go on making rounds.
  runtime.stopAt(recording.lastT + 1);
}

/** The replay's decisions are checked against the recording's. */
function replayRecording(
  runtime: Runtime,
  recording: Recording,
  onMismatch: (message: string, round: number) => void,
): { end: () => void } {
  const check = new ReplayCheck(recording, onMismatch);
  runtime.onEvent((e) => check.on(e));
  return { end: () => check.end(runtime.ranToEnd()) };
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
  const rebuildCalls = (): CallRunner =>
    refeed && book
      ? new refeed.RefeedCalls(book.snapshot(), prepared.freshCalls())
      : prepared.freshCalls();
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
      if (e.type === 'llm_request' || e.type === 'llm_response') book.note(e);
    });
  return session;
}

async function dashboardStore(prepared: PreparedRun) {
  const { createDashboardStore } = await import('../store/store.js');
  return createDashboardStore({
    modeLabel: prepared.modeLabel,
    scenario: prepared.cfg.scenario.name,
    protocol: prepared.cfg.protocol,
  });
}

async function setup(io: Io, opts: CliOptions): Promise<number> {
  const { runSetup } = await import('./setup.js');
  const path = configFilePath(io.env);
  const write = (l: string) => io.stdout.write(`${l}\n`);
  if (opts.nonInteractive) {
    const answers = {
      ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
      ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
      ...(opts.model !== undefined ? { model: opts.model } : {}),
    };
    const never = () => Promise.resolve(null);
    return await runSetup({ ask: never, write }, path, { env: io.env, answers });
  }
  // The key must not be echoed: readline echoes what is typed through this stream, muted then.
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) io.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: Boolean(io.stdin.isTTY) });
  // Lines are queued as they come: piped answers arrive all at once, before their questions
  // are asked, and the end of the input answers every question still open with null.
  const queued: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  rl.on('line', (line) => {
    const answer = waiting.shift();
    if (answer) answer(line);
    else queued.push(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const answer of waiting.splice(0)) answer(null);
  });
  const nextLine = (): Promise<string | null> => {
    if (queued.length > 0) return Promise.resolve(queued.shift() as string);
    if (ended) return Promise.resolve(null);
    return new Promise((resolve) => waiting.push(resolve));
  };
  const ask = (question: string) => {
    rl.setPrompt(question);
    rl.prompt();
    return nextLine();
  };
  const askSecret = async (question: string) => {
    io.stdout.write(question);
    rl.setPrompt('');
    muted = true;
    try {
      return await nextLine();
    } finally {
      muted = false;
      io.stdout.write('\n');
    }
  };
  try {
    return await runSetup({ ask, askSecret, write }, path, { env: io.env });
  } finally {
    rl.close();
  }
}

function openRecorder(
  opts: CliOptions,
  scrub: (line: string) => string,
  onFail: (message: string) => void,
): Recorder {
  const file = opts.record as string;
  // Even with --force: replacing the file being run from would lose it.
  for (const input of [opts.replay, opts.scenario])
    if (input !== null && sameFile(file, input))
      throw new UsageError(`--record: ${file} is the file being run from; record somewhere else`);
  try {
    return new Recorder(file, {
      force: opts.force,
      scrub,
      onError: (err) =>
        onFail(
          `--record: cannot write ${file} (${err.code ?? err.message}); the run was stopped and the file is valid up to its last line`,
        ),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new UsageError(`--record: ${file} exists; pass --force to replace it`);
    throw new UsageError(`--record: cannot write ${file} (${code ?? 'error'})`);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
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
