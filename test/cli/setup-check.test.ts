// `setup` and `check` as scripts and hostile servers meet them: piped answers, flags instead of
// questions, configs that could never start, and model lists carrying escape sequences.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSetup } from '../../src/cli/setup.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';
import { BIN, cleanEnv, runCliAsync, tempDir } from './helpers.js';

// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HOSTILE = ['\x1b]0;pwned\x07title', 'red\x1b[31mtext', '\u009b2Jwipe'];

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await FakeOpenAiServer.start({ models: [...HOSTILE, 'good-model', 'other-model'] });
});
afterAll(async () => {
  await server.close();
});

/** Runs setup with `input` piped in (asynchronously: the fake server lives in this process). */
async function setupWith(input: string, args: string[] = [], files: Record<string, string> = {}) {
  const home = tempDir();
  const dir = join(home, '.config', 'hybrid-tui');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { child, done } = runCliAsync(['setup', ...args], { ...cleanEnv(), HOME: home });
  child.stdin.end(input);
  const r = await done;
  const file = join(home, '.config', 'hybrid-tui', 'config.json');
  return { ...r, file, home };
}

describe('setup', () => {
  it('works with piped answers', async () => {
    const r = await setupWith(`3\n${server.baseUrl}\n\ngood-model\n`);
    expect(r.stdout).toContain('verdict: ready');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(r.file, 'utf8'))).toEqual({
      provider: 'ollama',
      baseUrl: server.baseUrl,
      model: 'good-model',
    });
  });

  it('says so when the piped answers end early, and writes nothing', async () => {
    const r = await setupWith('3\n');
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(
      /setup: the input ended before the base-url question was answered; nothing was written/,
    );
    expect(existsSync(r.file)).toBe(false);
  });

  it('never writes a config that cannot start (a remote provider without a key)', async () => {
    const r = await setupWith('1\n\n\n\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/setup: SambaNova needs an API key: .*nothing was written/);
    expect(existsSync(r.file)).toBe(false);
  });

  it('answers from flags with --non-interactive, asking nothing', async () => {
    const r = await setupWith('', [
      '--non-interactive',
      '--provider',
      'vllm',
      '--base-url',
      server.baseUrl,
      '--model',
      'good-model',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Provider \[/);
    expect(JSON.parse(readFileSync(r.file, 'utf8'))).toMatchObject({
      provider: 'vllm',
      model: 'good-model',
    });
  });

  it('updates an existing config, each answer defaulting to what it holds', async () => {
    const before = {
      provider: 'ollama',
      baseUrl: server.baseUrl,
      model: 'other-model',
      timeoutS: 7,
    };
    const r = await setupWith('\n\n\n\n', [], { 'config.json': JSON.stringify(before) });
    expect(r.stdout.split('\n')[0]).toMatch(/^hybrid-tui setup: this updates .*config\.json/);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(r.file, 'utf8'))).toEqual(before);
  });

  it('keeps a config it cannot read beside the new one, never over an earlier one', async () => {
    const broken = '{ "provider": "ollama", oops';
    const r = await setupWith(`3\n${server.baseUrl}\n\ngood-model\n`, [], {
      'config.json': broken,
      'config.json.bad': 'an earlier one',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/a new one will be written and this one kept beside it/);
    expect(r.stdout).toMatch(/the old file is kept as .*config\.json\.bad\.2/);
    expect(readFileSync(`${r.file}.bad.2`, 'utf8')).toBe(broken);
    expect(readFileSync(`${r.file}.bad`, 'utf8')).toBe('an earlier one');
    expect(JSON.parse(readFileSync(r.file, 'utf8'))).toMatchObject({ model: 'good-model' });
  });

  it('--non-interactive with a bad answer names the flag', async () => {
    const r = await setupWith('', ['--non-interactive', '--provider', 'paxos']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/setup: --provider: choose 1-7 or one of sambanova/);
  });

  it('shows and offers only clean model ids from a hostile server', async () => {
    const out: string[] = [];
    const path = join(tempDir(), 'config.json');
    const code = await runSetup(
      {
        write: (l) => void out.push(l),
        ask: (q) =>
          Promise.resolve(
            q.startsWith('Provider') ? '7' : q.startsWith('Base') ? server.baseUrl : '',
          ),
      },
      path,
      { env: {}, check: () => Promise.resolve(0) },
    );
    expect(code).toBe(0);
    expect(out.join('\n')).not.toMatch(RAW);
    expect(out).toContain(
      'the server lists: good-model, other-model; 3 ids with control characters not shown',
    );
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ model: 'good-model' });
  });
});

describe('a config file that cannot start', () => {
  it('is named in the error, with the ways out', () => {
    const home = tempDir();
    mkdirSync(join(home, '.config', 'hybrid-tui'), { recursive: true });
    const file = join(home, '.config', 'hybrid-tui', 'config.json');
    writeFileSync(file, JSON.stringify({ provider: 'sambanova' }));
    const r = spawnSync(process.execPath, [BIN, '--json'], {
      env: { ...cleanEnv(), HOME: home },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('SambaNova needs an API key');
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(/edit or delete that file, or pass --offline/);
  });
});

describe('check', () => {
  it('without --model lists the served models, sanitised', async () => {
    const r = await runCliAsync(['check', '--base-url', server.baseUrl]).done;
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    expect(r.stdout).toContain(
      'models: good-model, other-model; 3 ids with control characters not shown',
    );
    expect(r.stdout.trim().split('\n').at(-1)).toBe(
      'verdict: not usable — no model chosen: pass --model NAME, one of the models listed above',
    );
  });

  it('with a model the server does not list prints the list sanitised', async () => {
    const r = await runCliAsync(['check', '--base-url', server.baseUrl, '--model', 'nope']).done;
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    expect(r.stdout).toContain(
      'model: nope is NOT listed (the server lists: good-model, other-model;',
    );
  });
});
