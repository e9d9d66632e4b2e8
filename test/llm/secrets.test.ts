// Secrets that are not API keys in the environment: a password in a URL, and the key in a
// config file that does not parse. Neither may show in any output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/agents/config.js';
import { cleanEnv, runCli, tempDir } from '../cli/helpers.js';

const PASSWORD = 'hunter2-PASSWORD-9931';

function expectRefused(r: { code: number | null; stdout: string; stderr: string }, text: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(text);
  expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  expect(r.stdout + r.stderr).not.toContain(PASSWORD.slice(0, 8));
}

describe('a URL with credentials is refused at start, without repeating it', () => {
  const url = `http://user:${PASSWORD}@127.0.0.1:9/v1`;

  it.each([
    ['--json', '--base-url', url, '--model', 'm'],
    ['--headless', '--base-url', url, '--model', 'm'],
    ['check', '--base-url', url, '--model', 'm'],
  ])('%s %s', (...args) => {
    expectRefused(runCli(args), /--base-url: a URL with a user name or password is refused/);
  });

  it('in OPENAI_BASE_URL', () => {
    const env = cleanEnv({ OPENAI_BASE_URL: url, OPENAI_API_KEY: 'sk-x-123456' });
    expectRefused(
      runCli(['--json', '--model', 'm'], env),
      /OPENAI_BASE_URL: a URL with a user name or password is refused/,
    );
  });

  it('in the config file', () => {
    const home = tempDir();
    const dir = join(home, '.config', 'hybrid-tui');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ baseUrl: url, model: 'm' }));
    expectRefused(
      runCli(['--json'], { ...cleanEnv(), HOME: home }),
      /field "baseUrl": a URL with a user name or password is refused/,
    );
  });
});

describe('a config file that does not parse', () => {
  it('names the place of the fault, never the text around it (the key)', () => {
    const key = 'sk-live-abcdefghijklmnop';
    for (const text of [
      `{"apiKey": ${key}"}`,
      `{\n  "model": "m",\n  "apiKey": "${key}",,\n}`,
      `{"apiKey": "${key}" "model": "m"}`,
    ]) {
      let message = '';
      try {
        parseConfigText(text, '/home/u/.config/hybrid-tui/config.json');
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/config\.json: not valid JSON( at line \d+, column \d+)?$/);
      for (let i = 0; i + 4 <= key.length; i++) expect(message).not.toContain(key.slice(i, i + 4));
    }
  });
});
