#!/usr/bin/env node
// React (under Ink) picks its development or production build from NODE_ENV when it is first
// loaded, and the development build costs the dashboard about 1.5x the CPU per frame and 1.5x the
// keypress latency (bench/dashboard.ts). Unset means a user running the tool: production. The
// CLI is imported only after this, so nothing can load React first.
process.env.NODE_ENV ??= 'production';
const { main } = await import('./run.js');

const code = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
process.exitCode = code;
