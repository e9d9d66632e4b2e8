// `hybrid-tui setup` in a real terminal: the API key typed at its prompt is never echoed, and
// lands only in the config file, readable by the user alone.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';

const KEY = 'sk-typed-DO-NOT-ECHO-4411';
let session: TmuxSession | null = null;
afterEach(() => session?.kill());

it('does not echo the API key, and writes it with mode 0600', async () => {
  const t = new TmuxSession(120, 40, ['setup']);
  session = t;
  await t.waitFor((s) => s.includes('Provider [1-7'));
  t.keys('7', 'Enter');
  await t.waitFor((s) => /Base URL/.test(s));
  // A closed local port: the check at the end fails at once, without leaving this machine.
  t.keys('http://127.0.0.1:9/v1', 'Enter');
  await t.waitFor((s) => /API key/.test(s));
  t.keys(KEY, 'Enter');
  await t.waitFor((s) => /Model/.test(s));
  t.keys('some-model', 'Enter');
  const screen = await t.waitFor((s) => s.includes('EXIT='), 20_000);
  expect(screen).not.toContain(KEY);
  expect(screen).toContain('verdict: not usable');
  const file = join(t.home, '.config', 'hybrid-tui', 'config.json');
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
    apiKey: KEY,
    model: 'some-model',
  });
  expect(statSync(file).mode & 0o777).toBe(0o600);
}, 30_000);
