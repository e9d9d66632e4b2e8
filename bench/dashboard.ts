// The dashboard under load (DESIGN.md "Performance targets"): token updates coalesced to <= 30
// frames/s, a small fraction of one core under 5 concurrent streams, a keypress on screen within
// 50 ms, and memory flat over a long run. The real dashboard (runDashboard: Ink, the 30 Hz bridge,
// the store) runs in-process against a fake terminal that timestamps every write, and a fake
// keyboard; the figures are set against a headless run of the same load in the same process.
//
// The endpoint runs in a child process (fake-server-process.ts): a real endpoint is another
// machine, and its thousands of SSE writes a second must not count as the dashboard's CPU or
// delay its event loop.
import { fork } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import stripAnsi from 'strip-ansi';
import { resolveLlmConfig } from '../src/agents/config.js';
import { createLlmClient } from '../src/agents/llm-client.js';
import { ENTER_SCREEN, LEAVE_SCREEN, runDashboard } from '../src/cli/dashboard.js';
import { DEFAULT_AGENTS } from '../src/core/catalogue.js';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS, type ScenarioSpec } from '../src/core/scenario.js';
import type { CoreConfig } from '../src/core/state.js';
import { LlmCalls } from '../src/runtime/llm-calls.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { createDashboardStore, type DashboardStore } from '../src/store/store.js';
import type { FakeServerOptions } from '../test/support/fake-openai-server.js';
import type { ServerClosed, ServerReady } from './fake-server-process.js';
import { getGc, settle } from './gc.js';

const COLUMNS = 120;
const ROWS = 40;
/** A fast local model: 20 ms to the first byte, then 2 characters every millisecond per stream. */
const SERVER: FakeServerOptions = { latencyMs: 20, tokenDelayMs: 1, chunkChars: 2 };
const WARMUP_MS = 1500;
const WINDOW_MS = 6000;
const KEY_PRESSES = 45;
const KEY_SPACING_MS = 100;
const FPS_TARGET = 30;
const KEY_P95_TARGET_MS = 50;
const MEMORY_TARGET = 1.2;
/** Writes that are not frames: synchronized-update brackets, cursor visibility, screen switch. */
const NOT_FRAMES = new Set([
  '\x1b[?2026h',
  '\x1b[?2026l',
  '\x1b[?25l',
  '\x1b[?25h',
  ENTER_SCREEN,
  LEAVE_SCREEN,
]);

// --- the fake terminal ---------------------------------------------------------------------

interface Frame {
  t: number;
  /** The frame as written, when the terminal keeps frames (the load runs); else null. */
  text: string | null;
}

/** A TTY-like stdout that timestamps every Ink frame it is given. */
class FakeScreen extends Writable {
  readonly isTTY = true;
  readonly columns = COLUMNS;
  readonly rows = ROWS;
  readonly frames: Frame[] = [];
  frameCount = 0;
  frameBytes = 0;
  lastFrame = '';

  /** keepFrames: keep every frame's text for later analysis; otherwise only the last one. */
  constructor(private readonly keepFrames: boolean) {
    super({ decodeStrings: false });
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    const t = performance.now();
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    if (!NOT_FRAMES.has(text)) {
      this.frameCount++;
      this.frameBytes += text.length;
      this.lastFrame = text;
      this.frames.push({ t, text: this.keepFrames ? text : null });
    }
    done();
  }

  /** Forgets frames so a long run keeps no history (the count goes on). */
  dropHistory(): void {
    this.frames.length = 0;
  }
}

/** A TTY-like stdin: Ink reads it on 'readable'; a press is a push. */
class FakeKeyboard extends Readable {
  readonly isTTY = true;

  constructor() {
    super({ read() {} });
  }

  setRawMode(_mode: boolean): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  /** Types `key`; returns the time it was written. */
  press(key: string): number {
    const t = performance.now();
    this.push(key);
    return t;
  }
}

const sink = (): Writable & { text: string } => {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
};

interface Dashboard {
  store: DashboardStore;
  screen: FakeScreen;
  keyboard: FakeKeyboard;
  /** Updates the store has notified (bridge flushes, clock ticks, key actions). */
  storeUpdates(): number;
  /** Quits with q (SIGTERM should that not work) and resolves with the exit code. */
  close(): Promise<number>;
}

function mountDashboard(
  runtime: Runtime,
  cfg: CoreConfig,
  keepFrames: boolean,
  modeLabel: string,
): Dashboard {
  const screen = new FakeScreen(keepFrames);
  const keyboard = new FakeKeyboard();
  const stderr = sink();
  const processEvents = new EventEmitter();
  const store = createDashboardStore({
    modeLabel,
    scenario: cfg.scenario.name,
    protocol: cfg.protocol,
  });
  let updates = 0;
  store.subscribe(() => updates++);
  const exit = runDashboard(runtime, {
    modeLabel,
    scenario: cfg.scenario.name,
    protocol: cfg.protocol,
    start: () => void runtime.start(),
    colors: true,
    stdout: screen as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    processEvents,
    store,
  });
  return {
    store,
    screen,
    keyboard,
    storeUpdates: () => updates,
    async close() {
      keyboard.press('q');
      const timer = setTimeout(() => processEvents.emit('SIGTERM'), 2000);
      const code = await exit;
      clearTimeout(timer);
      if (code !== 0) throw new Error(`dashboard exited ${code}: ${stderr.text}`);
      if (stderr.text !== '') throw new Error(`dashboard wrote to stderr: ${stderr.text}`);
      return code;
    },
  };
}

// --- the endpoint --------------------------------------------------------------------------

interface Endpoint {
  baseUrl: string;
  close(): Promise<ServerClosed>;
}

async function startEndpoint(options: FakeServerOptions): Promise<Endpoint> {
  const child = fork(new URL('./fake-server-process.js', import.meta.url), [
    JSON.stringify(options),
  ]);
  const failed = once(child, 'exit').then(([code]) => {
    throw new Error(`fake endpoint exited early (${String(code)})`);
  });
  const messages = new EventEmitter();
  child.on('message', (message: { type: string }) => messages.emit(message.type, message));
  const [ready] = (await Promise.race([once(messages, 'ready'), failed])) as [ServerReady];
  failed.catch(() => {});
  return {
    baseUrl: ready.baseUrl,
    async close() {
      const closed = once(messages, 'closed');
      child.send({ type: 'close' });
      const [stats] = (await closed) as [ServerClosed];
      if (child.exitCode === null) await once(child, 'exit');
      return stats;
    },
  };
}

// --- helpers -------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const fmt = (x: number, digits = 1): string => x.toFixed(digits);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

/** Most frames in any 1-second window (each window starts at a frame). */
function maxPerSecond(times: readonly number[]): number {
  let best = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && (times[end] as number) < (times[start] as number) + 1000) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** Which agent the agents pane marks as selected (its row starts with '>'), by index. */
function selectedAgent(frame: string): number | null {
  for (const line of stripAnsi(frame).split('\n')) {
    if (!line.startsWith('>')) continue;
    const head = line.slice(0, 40);
    const index = DEFAULT_AGENTS.findIndex((agent) => head.includes(agent.name));
    if (index >= 0) return index;
  }
  return null;
}

// --- 1 + 2: five streams, headless and with the dashboard ----------------------------------

const HEALTHY = BUILTIN_SCENARIOS['healthy'] as ScenarioSpec;
const CHAOS = BUILTIN_SCENARIOS['chaos'] as ScenarioSpec;

function streamingRun(baseUrl: string): { runtime: Runtime; cfg: CoreConfig } {
  const llm = resolveLlmConfig({
    flags: { baseUrl, model: 'bench-model' },
    env: {},
    configFile: null,
  });
  // The healthy scenario, then free play: rounds back to back until the window is over.
  const cfg = makeCoreConfig({
    seed: 1,
    scenario: HEALTHY,
    protocol: 'bft',
    freePlay: true,
    maxRounds: 100_000,
  });
  // --speed max: no simulated gaps between phases, so the five streams run nearly all the time.
  const runtime = createRuntime(cfg, {
    calls: new LlmCalls(createLlmClient(llm), DEFAULT_AGENTS.length),
    speed: 'max',
  });
  return { runtime, cfg };
}

interface LoadResult {
  wallMs: number;
  cpuMs: number;
  deltas: number;
  rounds: number;
  /** Only with the dashboard: */
  frames: Frame[];
  frameBytes: number;
  storeUpdates: number;
  logLength: number;
  /** Only with keys: */
  keyLatencies: number[];
  keyMisses: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

async function loadRun(
  baseUrl: string,
  mode: 'headless' | 'dashboard' | 'keys',
): Promise<LoadResult> {
  const { runtime, cfg } = streamingRun(baseUrl);
  let deltas = 0;
  let rounds = 0;
  runtime.onEvent((e) => {
    // Headless: everything else is discarded.
    if (e.type === 'llm_delta') deltas++;
    else if (e.type === 'round_start') rounds++;
  });
  const dashboard = mode === 'headless' ? null : mountDashboard(runtime, cfg, true, 'bench-model');
  if (!dashboard) void runtime.start();

  await sleep(WARMUP_MS);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  if (mode === 'keys') loop.enable();
  const frames0 = dashboard?.screen.frames.length ?? 0;
  const bytes0 = dashboard?.screen.frameBytes ?? 0;
  const updates0 = dashboard?.storeUpdates() ?? 0;
  const deltas0 = deltas;
  const rounds0 = rounds;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  const presses: { t: number; agent: number }[] = [];
  if (mode === 'keys' && dashboard) {
    // 2, 3, 4, 5, 1, 2, ...: every press moves the selection, so every press changes the screen.
    for (let i = 0; i < KEY_PRESSES; i++) {
      const agent = (i + 1) % DEFAULT_AGENTS.length;
      presses.push({ t: dashboard.keyboard.press(String(agent + 1)), agent });
      await sleep(KEY_SPACING_MS);
    }
  } else {
    await sleep(WINDOW_MS);
  }

  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  const result: LoadResult = {
    wallMs: t1 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    deltas: deltas - deltas0,
    rounds: rounds - rounds0,
    frames: dashboard ? dashboard.screen.frames.slice(frames0).filter((f) => f.t <= t1) : [],
    frameBytes: dashboard ? dashboard.screen.frameBytes - bytes0 : 0,
    storeUpdates: dashboard ? dashboard.storeUpdates() - updates0 : 0,
    logLength: dashboard?.store.getState().log.length ?? 0,
    keyLatencies: [],
    keyMisses: 0,
    loopDelayP99: loop.percentile(99) / 1e6,
    loopDelayMax: loop.max / 1e6,
  };

  if (dashboard) await dashboard.close();
  else runtime.stop();
  await runtime.done;

  // Each press: the first frame after it that shows the new selection.
  if (dashboard) {
    const frames = dashboard.screen.frames;
    let from = 0;
    presses.forEach((press, i) => {
      const until = presses[i + 1]?.t ?? Infinity;
      while (from < frames.length && (frames[from] as Frame).t < press.t) from++;
      for (let j = from; j < frames.length; j++) {
        const frame = frames[j] as Frame;
        if (frame.t >= until) break;
        if (frame.text !== null && selectedAgent(frame.text) === press.agent) {
          result.keyLatencies.push(frame.t - press.t);
          return;
        }
      }
      result.keyMisses++;
    });
  }
  return result;
}

async function underLoad(): Promise<void> {
  console.log(
    `\n== dashboard under load (5 agents streaming from a local endpoint: first byte ${SERVER.latencyMs} ms, ` +
      `${SERVER.chunkChars} chars every ${SERVER.tokenDelayMs} ms per stream; --speed max, healthy + free play) ==`,
  );
  const endpoint = await startEndpoint(SERVER);
  let headless: LoadResult;
  let withDashboard: LoadResult;
  let keys: LoadResult;
  try {
    headless = await loadRun(endpoint.baseUrl, 'headless');
    withDashboard = await loadRun(endpoint.baseUrl, 'dashboard');
    keys = await loadRun(endpoint.baseUrl, 'keys');
  } finally {
    const server = await endpoint.close();
    console.log(
      `  endpoint (own process): ${server.requests} chat requests, at most ${server.maxInFlight} in flight`,
    );
  }

  const perS = (n: number, r: LoadResult) => (n * 1000) / r.wallMs;
  const core = (r: LoadResult) => r.cpuMs / r.wallMs;
  console.log(
    `  window ${fmt(WINDOW_MS / 1000)} s after ${fmt(WARMUP_MS / 1000)} s warm-up; ` +
      `CPU = process.cpuUsage() delta / wall time (1.0 = one core)`,
  );
  console.log('  run                      token deltas/s  rounds/s  CPU (cores)  frames/s  max/1 s');
  const row = (label: string, r: LoadResult, framesShown: boolean) =>
    console.log(
      `  ${label.padEnd(24)} ${fmt(perS(r.deltas, r), 0).padStart(14)}  ${fmt(perS(r.rounds, r), 2).padStart(8)}  ` +
        `${fmt(core(r), 3).padStart(11)}  ${framesShown ? fmt(perS(r.frames.length, r)).padStart(8) : '       -'}  ` +
        `${framesShown ? String(maxPerSecond(r.frames.map((f) => f.t))).padStart(7) : '      -'}`,
    );
  row('headless (baseline)', headless, false);
  row('dashboard', withDashboard, true);
  row('dashboard + keypresses', keys, true);

  const fpsMax = Math.max(
    maxPerSecond(withDashboard.frames.map((f) => f.t)),
    maxPerSecond(keys.frames.map((f) => f.t)),
  );
  const extra = core(withDashboard) - core(headless);
  console.log(
    `  frames: max ${fpsMax} in any 1 s (target <= ${FPS_TARGET}: ${fpsMax <= FPS_TARGET ? 'meets' : 'ABOVE'}); ` +
      `${fmt(withDashboard.frameBytes / Math.max(1, withDashboard.frames.length) / 1024)} KB a frame, ` +
      `${fmt(withDashboard.frameBytes / withDashboard.wallMs)} KB/s to the terminal; ` +
      `store updates ${fmt(perS(withDashboard.storeUpdates, withDashboard))}/s for ${fmt(perS(withDashboard.deltas, withDashboard), 0)} deltas/s`,
  );
  console.log(
    `  dashboard's own cost: +${fmt(extra, 3)} of a core (${pct(extra)}); ` +
      `${fmt(core(withDashboard) / core(headless), 2)} x the headless CPU; ` +
      `${fmt((extra * 1000) / Math.max(1, perS(withDashboard.frames.length, withDashboard)), 2)} ms CPU per frame`,
  );

  const sorted = keys.keyLatencies.slice().sort((a, b) => a - b);
  const p95 = quantile(sorted, 0.95);
  console.log(
    `  keypress -> first frame showing it (${KEY_PRESSES} presses of 1-5, ${KEY_SPACING_MS} ms apart, ` +
      `under the same load): p50 ${fmt(quantile(sorted, 0.5))} ms  p95 ${fmt(p95)} ms  max ${fmt(sorted.at(-1) ?? NaN)} ms` +
      `  (target p95 < ${KEY_P95_TARGET_MS}: ${p95 < KEY_P95_TARGET_MS && keys.keyMisses === 0 ? 'meets' : 'MISSES'})` +
      `${keys.keyMisses > 0 ? `; ${keys.keyMisses} presses never shown before the next` : ''}`,
  );
  console.log(
    `  event-loop delay meanwhile: p99 ${fmt(keys.loopDelayP99)} ms, max ${fmt(keys.loopDelayMax)} ms`,
  );
}

// --- 3: memory over a long offline run with the dashboard attached -------------------------

async function memory(): Promise<void> {
  console.log(
    '\n== dashboard memory over a long run (offline, chaos + free play, --speed max, dashboard attached) ==',
  );
  if (!getGc()) console.log('(no gc available: figures include garbage)');
  const cfg = makeCoreConfig({
    seed: 2,
    scenario: CHAOS,
    protocol: 'bft',
    freePlay: true,
    maxRounds: 1_000_000,
  });
  const runtime = createRuntime(cfg, { speed: 'max' });
  const dashboard = mountDashboard(runtime, cfg, false, 'offline');
  const { screen, store } = dashboard;
  interface Sample {
    rss: number;
    heap: number;
    frames: number;
    log: number;
    history: number;
    ms: number;
  }
  const samples = new Map<number, Sample>();
  const t0 = performance.now();
  const sample = (at: number) => {
    settle();
    const m = process.memoryUsage();
    const state = store.getState();
    samples.set(at, {
      rss: m.rss,
      heap: m.heapUsed,
      frames: screen.frameCount,
      log: state.log.length,
      history: state.history.length,
      ms: performance.now() - t0,
    });
  };
  const reached = new Promise<void>((resolve) => {
    runtime.onEvent((e) => {
      if (e.type !== 'round_start') return;
      // Sampled while the run and the dashboard are live: round 1,001 starts once 1,000 are done.
      if (e.round === 1001) sample(1000);
      if (e.round === 10_001) {
        sample(10_000);
        resolve();
      }
    });
  });
  await reached;
  const shownRound = /round\s+(\d+)/i.exec(stripAnsi(screen.lastFrame))?.[1] ?? '?';
  await dashboard.close();
  await runtime.done;

  const a = samples.get(1000);
  const b = samples.get(10_000);
  if (!a || !b) throw new Error('memory samples missing');
  const ratio = b.rss / a.rss;
  const line = (label: string, s: Sample) =>
    console.log(
      `  ${label.padEnd(20)} rss ${mb(s.rss).padStart(9)}  heap ${mb(s.heap).padStart(8)}  ` +
        `frames written ${String(s.frames).padStart(5)}  log ${s.log} entries  history ${s.history}  at ${fmt(s.ms / 1000, 2)} s`,
    );
  line('after 1,000 rounds:', a);
  line('after 10,000 rounds:', b);
  console.log(
    `  RSS ratio 10k/1k: ${fmt(ratio, 3)} (target <= ${MEMORY_TARGET}: ${ratio <= MEMORY_TARGET ? 'meets' : 'ABOVE'}); ` +
      `heap ratio ${fmt(b.heap / a.heap, 3)}; ` +
      `${fmt((9000 * 1000) / (b.ms - a.ms), 0)} rounds/s with the dashboard attached; last frame shows round ${shownRound}`,
  );
}

export async function main(): Promise<void> {
  // Memory first: the load runs keep every frame for analysis, and RSS, once grown, stays grown.
  await memory();
  await underLoad();
}
