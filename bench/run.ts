// `npm run bench`: every benchmark section in turn. Each section is a file exporting `main`; add
// new ones (dashboard fps, ...) to SECTIONS. A failing section is reported and the rest still run.
import * as bft from './bft.js';
import * as dashboard from './dashboard.js';
import * as firstFrame from './dashboard-first-frame.js';
import * as keysSpeeds from './dashboard-keys-speeds.js';
import * as memoryMinutes from './dashboard-memory-minutes.js';
import * as jsonOutput from './json-output.js';
import * as llmLatency from './llm-latency.js';
import * as multiEndpoint from './multi-endpoint.js';
import * as offline from './offline.js';
import * as sweep from './sweep.js';

const SECTIONS: { name: string; main: () => Promise<void> }[] = [
  { name: 'offline engine', main: offline.main },
  { name: 'replicated bft', main: bft.main },
  { name: '--json output', main: jsonOutput.main },
  { name: 'LLM round latency', main: llmLatency.main },
  { name: 'heterogeneous endpoints', main: multiEndpoint.main },
  { name: 'dashboard', main: dashboard.main },
  { name: 'dashboard first frame', main: firstFrame.main },
  { name: 'dashboard keypress at every speed', main: keysSpeeds.main },
  { name: 'dashboard memory over minutes', main: memoryMinutes.main },
  { name: 'sweep', main: sweep.main },
];

async function run(): Promise<void> {
  let failed = 0;
  for (const section of SECTIONS) {
    try {
      await section.main();
    } catch (err) {
      failed++;
      console.error(
        `\n[bench] section "${section.name}" failed: ${err instanceof Error ? err.stack : String(err)}`,
      );
    }
  }
  if (failed > 0) process.exitCode = 1;
}

await run();
