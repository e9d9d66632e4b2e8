// The dashboard under load (DESIGN.md "Performance targets"): token updates coalesced to <= 30
// frames/s, a small fraction of one core under 5 concurrent streams, a keypress on screen within
// 50 ms, and memory flat over a long run. The real dashboard (runDashboard: Ink, the bridge, the
// store) runs in-process against a fake terminal that timestamps every write, and a fake
// keyboard; its cost is set against a headless run of the same load in the same process.
import type { Protocol } from '../src/core/types.js';
import type { FakeServerOptions } from '../test/support/fake-openai-server.js';
import { startEndpoint } from './endpoint.js';
import { loadRun, type LoadResult } from './dashboard-load.js';
import { memory } from './dashboard-memory.js';
import { reportLoad } from './dashboard-report.js';
import { COLUMNS, ROWS } from './dashboard-tty.js';

/**
 * A fast local model: 20 ms to the first byte, then one character a chunk as fast as the
 * endpoint's timers go (1 ms asked, about 1.7 ms got: some 500-600 deltas/s a stream). Under
 * classic that is five streams at ~2,500-3,000 deltas/s, the load the CPU target names.
 */
const SERVER: FakeServerOptions = { latencyMs: 20, tokenDelayMs: 1, chunkChars: 1 };
/** Headless and dashboard windows alternate this many times; figures are medians over the pairs. */
const PAIRS = 3;
/** Classic carries the target (five streams at once); bft is the heavier screen, fewer streams. */
const PROTOCOLS: readonly Protocol[] = ['classic', 'bft'];

export async function main(): Promise<void> {
  // Memory first: the load runs keep every frame for analysis, and RSS once grown stays grown.
  await memory();
  await underLoad();
}

async function underLoad(): Promise<void> {
  console.log(
    `\n== dashboard under load: 5 agents streaming from a local endpoint (own process; first byte ` +
      `${SERVER.latencyMs} ms, then ${SERVER.chunkChars} char a chunk every ${SERVER.tokenDelayMs} ms asked, per stream), ` +
      `--speed max, healthy + free play, ${COLUMNS}x${ROWS} terminal, React ${process.env.NODE_ENV} build ==`,
  );
  const endpoint = await startEndpoint(SERVER);
  const runs: LoadResult[] = [];
  try {
    for (const protocol of PROTOCOLS) {
      for (let i = 0; i < PAIRS; i++) {
        runs.push(await loadRun(endpoint.baseUrl, 'headless', protocol));
        runs.push(await loadRun(endpoint.baseUrl, 'dashboard', protocol));
      }
    }
    runs.push(await loadRun(endpoint.baseUrl, 'keys', 'classic'));
  } finally {
    const server = await endpoint.close();
    console.log(
      `  endpoint: ${server.requests} chat requests, at most ${server.maxInFlight} in flight`,
    );
  }
  reportLoad(runs, PROTOCOLS);
}
