// The dashboard under load (DESIGN.md "Performance targets"): token updates coalesced to <= 30
// frames/s, a small fraction of one core under 5 concurrent streams, a keypress on screen within
// 50 ms, and memory flat over a long run. The real dashboard (runDashboard: Ink, the 30 Hz bridge,
// the store) runs in-process against a fake terminal that timestamps every write, and a fake
// keyboard; its cost is set against a headless run of the same load in the same process.
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

// React picks its development or production build from NODE_ENV when it is first loaded, and the
// CLI defaults NODE_ENV to production (src/cli/main.ts). The bench does the same before it loads
// Ink, so it measures what a user gets; `NODE_ENV=development npm run bench` measures the other.
type DashboardModule = typeof import('../src/cli/dashboard.js');
let dashboardModule: Promise<DashboardModule> | null = null;
function loadDashboard(): Promise<DashboardModule> {
  process.env.NODE_ENV ??= 'production';
  dashboardModule ??= import('../src/cli/dashboard.js');
  return dashboardModule;
}

const COLUMNS = 120;
const ROWS = 40;
/** A fast local model: 20 ms to the first byte, then 2 characters every millisecond per stream. */
const SERVER: FakeServerOptions = { latencyMs: 20, tokenDelayMs: 1, chunkChars: 2 };
const WARMUP_MS = 1500;
const WINDOW_MS = 5000;
/** Headless and dashboard windows alternate this many times: the figures are their totals. */
const REPS = 2;
const KEY_PRESSES = 45;
const KEY_SPACING_MS = 100;
const FPS_TARGET = 30;
const KEY_P95_TARGET_MS = 50;
const MEMORY_TARGET = 1.2;
const MEMORY_ROUNDS = 10_000;
const MEMORY_STEP = 1000;

// --- the fake terminal ---------------------------------------------------------------------

interface Frame {
  t: number;
  /** The frame as written (load runs); null where only the count matters (the long run). */
  text: string | null;
}

/** A TTY-like stdout that timestamps every frame Ink writes to it. */
class FakeScreen extends Writable {
  readonly isTTY = true;
  readonly columns = COLUMNS;
  readonly rows = ROWS;
  readonly frames: Frame[] = [];
  frameCount = 0;
  frameBytes = 0;
  lastFrame = '';

  /**
   * notFrames: writes that are not frames (synchronized-update brackets, cursor visibility,
   * entering and leaving the alternate screen); Ink's empty flush at exit is not one either. keepFrames: keep every frame with its text, for
   * the analysis after a run; otherwise only counts and the last frame, so memory stays flat.
   */
  constructor(
    private readonly notFrames: ReadonlySet<string>,
    private readonly keepFrames: boolean,
  ) {
    super({ decodeStrings: false });
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    const t = performance.now();
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    if (text !== '' && !this.notFrames.has(text)) {
      this.frameCount++;
      this.frameBytes += text.length;
      this.lastFrame = text;
      if (this.keepFrames) this.frames.push({ t, text });
    }
    done();
  }
}

/** A TTY-like stdin: Ink reads it on 'readable'; a keypress is a push. */
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

  /** Types `key`; returns when it was written. */
  press(key: string): number {
    const t = performance.now();
    this.push(key);
    return t;
  }
}

function textSink(): Writable & { text: string } {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

interface Dashboard {
  store: DashboardStore;
  screen: FakeScreen;
  keyboard: FakeKeyboard;
  /** Store notifications so far (bridge flushes, clock ticks, key actions). */
  storeUpdates(): number;
  /** Quits with q (SIGTERM, should q not work) and checks the dashboard exited cleanly. */
  close(): Promise<void>;
}

/** runDashboard in-process; it starts the runtime once the store listens. */
async function mountDashboard(
  runtime: Runtime,
  cfg: CoreConfig,
  modeLabel: string,
  keepFrames: boolean,
): Promise<Dashboard> {
  const { runDashboard, ENTER_SCREEN, LEAVE_SCREEN } = await loadDashboard();
  const notFrames = new Set(['\x1b[?2026h', '\x1b[?2026l', '\x1b[?25l', '\x1b[?25h']);
  notFrames.add(ENTER_SCREEN).add(LEAVE_SCREEN);
  const screen = new FakeScreen(notFrames, keepFrames);
  const keyboard = new FakeKeyboard();
  const stderr = textSink();
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
      if (code !== 0) throw new Error(`dashboard exited with ${code}: ${stderr.text}`);
      if (stderr.text !== '') throw new Error(`dashboard wrote to stderr: ${stderr.text}`);
      if (!runtime.status().stopped) throw new Error('quitting the dashboard left the run going');
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
  const messages = new EventEmitter();
  child.on('message', (message: { type: string }) => messages.emit(message.type, message));
  const exited = once(child, 'exit');
  const early = exited.then(([code]) => {
    throw new Error(`fake endpoint exited early (${String(code)})`);
  });
  try {
    const [ready] = (await Promise.race([once(messages, 'ready'), early])) as [ServerReady];
    return {
      baseUrl: ready.baseUrl,
      async close() {
        const closed = once(messages, 'closed');
        child.send({ type: 'close' });
        const [stats] = (await closed) as [ServerClosed];
        await exited;
        return stats;
      },
    };
  } catch (err) {
    child.kill();
    throw err;
  } finally {
    early.catch(() => {});
  }
}

// --- helpers -------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const fmt = (x: number, digits = 1): string => x.toFixed(digits);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Nearest-rank quantile of ascending values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

const ascending = (values: readonly number[]) => values.slice().sort((a, b) => a - b);

/** Most frames in any 1-second window (each window starting at a frame). */
function maxPerSecond(times: readonly number[]): number {
  let best = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && (times[end] as number) < (times[start] as number) + 1000) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/**
 * The agent the agents pane marks as selected, by index: its row is the one line of the screen
 * that starts with '>' (the pane is the leftmost column) and names an agent.
 */
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
  // --speed max: no simulated gaps between phases (LLM calls stream at every speed), so the five
  // streams run nearly all the time.
  const runtime = createRuntime(cfg, {
    calls: new LlmCalls(createLlmClient(llm), DEFAULT_AGENTS.length),
    speed: 'max',
  });
  return { runtime, cfg };
}

type LoadMode = 'headless' | 'dashboard' | 'keys';

interface LoadResult {
  mode: LoadMode;
  wallMs: number;
  cpuMs: number;
  deltas: number;
  rounds: number;
  /** With the dashboard: frames written in the window. */
  frames: number[];
  frameBytes: number;
  storeUpdates: number;
  /** With keys: */
  keyLatencies: number[];
  keyMisses: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

async function loadRun(baseUrl: string, mode: LoadMode): Promise<LoadResult> {
  const { runtime, cfg } = streamingRun(baseUrl);
  let deltas = 0;
  let rounds = 0;
  runtime.onEvent((e) => {
    // Headless, everything else is discarded.
    if (e.type === 'llm_delta') deltas++;
    else if (e.type === 'round_start') rounds++;
  });
  const dashboard =
    mode === 'headless' ? null : await mountDashboard(runtime, cfg, 'bench-model', true);
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

  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  loop.disable();
  const windowFrames = dashboard?.screen.frames.slice(frames0).filter((f) => f.t <= t1) ?? [];
  const result: LoadResult = {
    mode,
    wallMs: t1 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    deltas: deltas - deltas0,
    rounds: rounds - rounds0,
    frames: windowFrames.map((f) => f.t),
    frameBytes: dashboard ? dashboard.screen.frameBytes - bytes0 : 0,
    storeUpdates: dashboard ? dashboard.storeUpdates() - updates0 : 0,
    keyLatencies: [],
    keyMisses: 0,
    loopDelayP99: loop.percentile(99) / 1e6,
    loopDelayMax: loop.max / 1e6,
  };

  if (dashboard) await dashboard.close();
  else runtime.stop();
  await runtime.done;

  // Each press: the first frame after it that shows the new selection, before the next press.
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

/** Runs added up: rates over their combined windows. */
function total(runs: readonly LoadResult[]) {
  const wallMs = runs.reduce((n, r) => n + r.wallMs, 0);
  const sum = (pick: (r: LoadResult) => number) => runs.reduce((n, r) => n + pick(r), 0);
  const perS = (n: number) => (n * 1000) / wallMs;
  const frames = sum((r) => r.frames.length);
  const gaps = ascending(
    runs.flatMap((r) => r.frames.slice(1).map((t, i) => t - (r.frames[i] as number))),
  );
  return {
    cores: sum((r) => r.cpuMs) / wallMs,
    deltasPerS: perS(sum((r) => r.deltas)),
    roundsPerS: perS(sum((r) => r.rounds)),
    fps: perS(frames),
    maxFps: Math.max(0, ...runs.map((r) => maxPerSecond(r.frames))),
    gaps,
    kbPerFrame: sum((r) => r.frameBytes) / Math.max(1, frames) / 1024,
    updatesPerS: perS(sum((r) => r.storeUpdates)),
  };
}

async function underLoad(): Promise<void> {
  console.log(
    `\n== dashboard under load: 5 agents streaming from a local endpoint (own process; first byte ` +
      `${SERVER.latencyMs} ms, then ${SERVER.chunkChars} chars every ${SERVER.tokenDelayMs} ms per stream), ` +
      `--speed max, healthy + free play, ${COLUMNS}x${ROWS} terminal, React ${process.env.NODE_ENV} build ==`,
  );
  const endpoint = await startEndpoint(SERVER);
  const runs: LoadResult[] = [];
  try {
    for (let i = 0; i < REPS; i++) {
      runs.push(await loadRun(endpoint.baseUrl, 'headless'));
      runs.push(await loadRun(endpoint.baseUrl, 'dashboard'));
    }
    runs.push(await loadRun(endpoint.baseUrl, 'keys'));
  } finally {
    const server = await endpoint.close();
    console.log(
      `  endpoint: ${server.requests} chat requests, at most ${server.maxInFlight} in flight`,
    );
  }

  console.log(
    `  windows of ${fmt(WINDOW_MS / 1000)} s after ${fmt(WARMUP_MS / 1000)} s of warm-up, ` +
      `headless and dashboard alternating; CPU = process.cpuUsage() delta / wall time (1.0 = one core)`,
  );
  console.log(
    '  run                       deltas/s  rounds/s  CPU (cores)  frames/s  max in 1 s  store updates/s',
  );
  const row = (label: string, r: LoadResult) => {
    const t = total([r]);
    const shown = r.mode !== 'headless';
    console.log(
      `  ${label.padEnd(24)} ${fmt(t.deltasPerS, 0).padStart(9)}  ${fmt(t.roundsPerS, 2).padStart(8)}  ` +
        `${fmt(t.cores, 3).padStart(11)}  ${(shown ? fmt(t.fps) : '-').padStart(8)}  ` +
        `${(shown ? String(t.maxFps) : '-').padStart(11)}  ${(shown ? fmt(t.updatesPerS) : '-').padStart(15)}`,
    );
  };
  runs.forEach((r) => {
    const n = runs.filter((x) => x.mode === r.mode).indexOf(r) + 1;
    const label =
      r.mode === 'headless'
        ? `headless #${n}`
        : r.mode === 'dashboard'
          ? `dashboard #${n}`
          : 'dashboard + keypresses';
    row(label, r);
  });

  const headless = total(runs.filter((r) => r.mode === 'headless'));
  const shown = total(runs.filter((r) => r.mode === 'dashboard'));
  const all = total(runs.filter((r) => r.mode !== 'headless'));
  const extra = shown.cores - headless.cores;
  // The target is about coalescing the streams: keypresses add frames of their own on top
  // (one per press, on purpose), so the keypress run is reported apart.
  const keyed = total(runs.filter((r) => r.mode === 'keys'));
  console.log(
    `  frames/s under the streams: mean ${fmt(shown.fps)}, max ${shown.maxFps} in any 1 s ` +
      `(target <= ${FPS_TARGET}: ${shown.maxFps <= FPS_TARGET ? 'meets' : 'ABOVE'}); with 10 keypresses/s on top: ` +
      `mean ${fmt(keyed.fps)}, max ${keyed.maxFps}; gap between frames p50 ${fmt(quantile(all.gaps, 0.5))} ms, ` +
      `p95 ${fmt(quantile(all.gaps, 0.95))} ms, max ${fmt(all.gaps.at(-1) ?? NaN)} ms; ${fmt(shown.kbPerFrame)} KB a frame`,
  );
  console.log(
    `  CPU: headless ${fmt(headless.cores, 3)}, with the dashboard ${fmt(shown.cores, 3)} of a core = ` +
      `${fmt(shown.cores / headless.cores, 2)} x; the dashboard's own cost +${fmt(extra, 3)} of a core, ` +
      `${fmt((extra * 1000) / shown.fps)} ms of CPU per frame written`,
  );

  const keys = runs.find((r) => r.mode === 'keys');
  if (!keys) return;
  const latencies = ascending(keys.keyLatencies);
  const p95 = quantile(latencies, 0.95);
  const meets = p95 < KEY_P95_TARGET_MS && keys.keyMisses === 0;
  console.log(
    `  keypress -> first frame showing it (${KEY_PRESSES} presses of 1-5, ${KEY_SPACING_MS} ms apart, ` +
      `same load): p50 ${fmt(quantile(latencies, 0.5))} ms  p95 ${fmt(p95)} ms  ` +
      `max ${fmt(latencies.at(-1) ?? NaN)} ms (target p95 < ${KEY_P95_TARGET_MS}: ${meets ? 'meets' : 'MISSES'})` +
      `${keys.keyMisses > 0 ? `; ${keys.keyMisses} presses not shown before the next` : ''}; ` +
      `event-loop delay p99 ${fmt(keys.loopDelayP99)} ms, max ${fmt(keys.loopDelayMax)} ms`,
  );
}

// --- 3: memory over a long offline run with the dashboard attached -------------------------

interface MemorySample {
  rss: number;
  heap: number;
  frames: number;
  log: number;
  history: number;
  ms: number;
}

async function memory(): Promise<void> {
  // Loaded before anything is measured, so the module graph is not part of the first sample.
  await loadDashboard();
  console.log(
    `\n== dashboard memory over a long run: offline, chaos + free play, --speed max, dashboard ` +
      `attached (React ${process.env.NODE_ENV} build) ==`,
  );
  if (!getGc()) console.log('  (no gc available: figures include garbage)');
  const cfg = makeCoreConfig({
    seed: 2,
    scenario: CHAOS,
    protocol: 'bft',
    freePlay: true,
    maxRounds: 1_000_000,
  });
  const runtime = createRuntime(cfg, { speed: 'max' });
  const samples = new Map<number, MemorySample>();
  const t0 = performance.now();
  let done: () => void = () => {};
  const reached = new Promise<void>((resolve) => (done = resolve));
  let dashboard: Dashboard | null = null;
  runtime.onEvent((e) => {
    // Sampled while the run and the dashboard are live: round n + 1 starts once n are done.
    if (e.type !== 'round_start' || (e.round - 1) % MEMORY_STEP !== 0 || e.round === 1) return;
    if (!dashboard) return;
    settle();
    const m = process.memoryUsage();
    const state = dashboard.store.getState();
    samples.set(e.round - 1, {
      rss: m.rss,
      heap: m.heapUsed,
      frames: dashboard.screen.frameCount,
      log: state.log.length,
      history: state.history.length,
      ms: performance.now() - t0,
    });
    if (e.round - 1 >= MEMORY_ROUNDS) done();
  });
  dashboard = await mountDashboard(runtime, cfg, 'offline', false);
  await reached;
  const shownRound = /round\s+(\d+)/i.exec(stripAnsi(dashboard.screen.lastFrame))?.[1] ?? '?';
  await dashboard.close();

  const first = samples.get(MEMORY_STEP);
  const last = samples.get(MEMORY_ROUNDS);
  if (!first || !last) throw new Error('memory samples missing');
  const line = (label: string, s: MemorySample) =>
    console.log(
      `  ${label.padEnd(20)} rss ${mb(s.rss).padStart(9)}  heap ${mb(s.heap).padStart(8)}  ` +
        `frames written ${String(s.frames).padStart(5)}  log ${s.log} entries  history ${s.history}  ` +
        `at ${fmt(s.ms / 1000, 2)} s`,
    );
  line('after 1,000 rounds:', first);
  line('after 10,000 rounds:', last);
  const series = [...samples.values()];
  console.log(
    `  every 1,000 rounds, rss MB: ${series.map((s) => fmt(s.rss / 1024 / 1024, 0)).join(' ')}; ` +
      `heap MB: ${series.map((s) => fmt(s.heap / 1024 / 1024, 0)).join(' ')}`,
  );
  const ratio = last.rss / first.rss;
  console.log(
    `  RSS ratio 10k/1k: ${fmt(ratio, 3)} (target <= ${MEMORY_TARGET}: ${ratio <= MEMORY_TARGET ? 'meets' : 'ABOVE'}); ` +
      `heap ratio ${fmt(last.heap / first.heap, 3)}; ` +
      `${fmt(((MEMORY_ROUNDS - MEMORY_STEP) * 1000) / (last.ms - first.ms), 0)} rounds/s and ` +
      `${fmt(((last.frames - first.frames) * 1000) / (last.ms - first.ms))} frames/s meanwhile; ` +
      `the last frame shows round ${shownRound}`,
  );
}

export async function main(): Promise<void> {
  // Memory first: the load runs keep every frame for analysis, and RSS once grown stays grown.
  await memory();
  await underLoad();
}
