// Bundles the compiled CLI and its dependencies, dist/src/cli/hybrid-tui.mjs (the `bin`): Node
// then reads and links a few modules instead of several hundred, a large part of the dashboard's
// start-up (bench/dashboard-first-frame.ts).
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}dist/src/cli`;
// Chunk names carry a content hash: the last build's chunks would otherwise pile up.
for (const file of readdirSync(cli))
  if (/^(bundle-.*|hybrid-tui)\.mjs$/.test(file)) rmSync(`${cli}/${file}`);
await build({
  entryPoints: [`${root}dist/src/cli/main.js`],
  // Beside run.js, so the paths it resolves from import.meta.url (package.json) stay the same;
  // split, so what a run does not use (the model client, setup, check) is not even parsed.
  outdir: cli,
  entryNames: 'hybrid-tui',
  chunkNames: 'bundle-[hash]',
  splitting: true,
  minify: true,
  bundle: true,
  outExtension: { '.js': '.mjs' },
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Ink's devtools bridge is only ever loaded in development; it has no place in the bundle.
  alias: { 'react-devtools-core': `${root}scripts/no-devtools.mjs` },
  // tinypool starts its threads from its own entry file, found beside its module: bundled, it
  // would look for it beside the bundle. The sweep's worker file is found the same way
  // (src/sweep/execute.ts).
  external: ['tinypool'],
  // CommonJS dependencies (signal-exit, ...) require Node's built-ins.
  banner: {
    js: "import { createRequire as __hybridRequire } from 'node:module'; const require = __hybridRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
