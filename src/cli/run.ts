// The program: parse, dispatch (check, setup, dashboard, headless), map failures to exit codes.
import { createInterface } from 'node:readline/promises';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { configFilePath, redact, type Env } from '../agents/config.js';
import type { HybridEvent } from '../core/events.js';
import { createRuntime } from '../runtime/run-offline.js';
import { Recorder } from '../runtime/recorder.js';
import { HELP, parseCli, UsageError, type CliOptions } from './args.js';
import { isUserError, loadAgentPlan, prepareRun, type PreparedRun } from './build-run.js';
import { NarrativePrinter } from './narrative.js';

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

async function run(opts: CliOptions, io: Io): Promise<number> {
  // The dashboard needs a terminal to draw on and one to read keys from; without either it tells
  // the story as text instead, and ends with the scenario.
  const headless = opts.headless || !io.stdout.isTTY || !io.stdin.isTTY;
  const prepared = prepareRun(opts, io.env, !headless);
  const speed = opts.speed ?? (headless ? 'max' : 1);
  const runtime = createRuntime(prepared.cfg, { calls: prepared.calls, speed });
  if (prepared.recording)
    for (const c of prepared.recording.commands) runtime.scheduleCommand(c.at, c.command);
  const scrub = (line: string) =>
    prepared.secrets.length > 0 ? redact(line, prepared.secrets) : line;
  const recorder = opts.record !== null ? openRecorder(opts.record, scrub) : null;
  if (recorder) runtime.onEvent((e) => recorder.write(e));
  try {
    if (!headless) {
      const { runDashboard } = await import('./dashboard.js');
      return await runDashboard(runtime, {
        modeLabel: prepared.modeLabel,
        scenario: prepared.cfg.scenario.name,
        protocol: prepared.cfg.protocol,
        start: () => void runtime.start(),
      });
    }
    return await runHeadless(runtime, prepared, opts.json, io, scrub);
  } finally {
    recorder?.close();
  }
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
