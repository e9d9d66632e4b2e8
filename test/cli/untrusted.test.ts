// Scenario and recording strings are as untrusted as model text: nothing in them reaches the
// terminal as a control sequence, in the narrative or in --json.
import { closeSync, openSync, ftruncateSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/agents/parse.js';
import { jsonLine } from '../../src/runtime/json-line.js';
import { jsonLines, runCli, tempDir } from './helpers.js';

const OSC52 = '\x1b]52;c;cm0gLXJmIH4=\x07'; // writes the clipboard
const OSC0 = '\x1b]0;pwned\x07'; // sets the window title
const C1_CSI = '\u009b31m'; // an 8-bit CSI: red text on many terminals
const RLO = '\u202e'; // right-to-left override
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function hostileScenario(): string {
  const file = join(tempDir(), 'hostile.json');
  const example = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../examples/custom-scenario.json'), 'utf8'),
  ) as {
    name: string;
    agents?: { name: string }[];
    jobs?: { description: string }[];
    steps: { type: string; title?: string }[];
  };
  example.name = `evil${C1_CSI}${RLO}`;
  if (example.agents?.[0]) example.agents[0].name = `A${OSC0}`;
  if (example.jobs?.[0]) example.jobs[0].description = `job ${OSC52} ${RLO}txt`;
  example.steps.unshift({ type: 'section', title: `sec ${OSC52}${C1_CSI}` });
  writeFileSync(file, JSON.stringify(example));
  return file;
}

describe('errors quoting a hostile file', () => {
  const scenario = { name: 'x', steps: [{ type: 'rounds', count: 1 }] };
  it.each([
    ['an unknown key', 'key.json', JSON.stringify({ ...scenario, [`col${OSC0}our`]: 1 })],
    ['a file that starts with an escape sequence', 'start.json', `${OSC0}{}`],
    ['YAML with controls', 'bad.yaml', `name: [${OSC52}\n`],
    ['a recording', 'rec.jsonl', `${JSON.stringify({ type: 'run_start', t: 0, seed: OSC0 })}\n`],
  ])('%s: one line on stderr, no control reaches the terminal', (_, name, text) => {
    const file = join(tempDir(), name);
    writeFileSync(file, text);
    const args = name.endsWith('.jsonl') ? ['--replay', file] : ['--scenario', file];
    const r = runCli(['--json', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hybrid-tui: /);
    expect(r.stderr).not.toMatch(RAW);
  });

  it('names a control it choked on as \\uXXXX, not as an empty quote', () => {
    const file = join(tempDir(), 'start.json');
    writeFileSync(file, `${OSC0}{}`);
    expect(runCli(['--json', '--scenario', file]).stderr).toContain(
      "not valid JSON (Unexpected token '\\u001b')",
    );
  });
});

describe('hostile scenario strings', () => {
  const file = hostileScenario();

  it('never reach the terminal raw through the narrative', () => {
    const r = runCli(['--headless', '--offline', '--seed', '1', '--scenario', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SCENARIO 1/');
    expect(r.stdout).not.toMatch(RAW);
  });

  it('--json escapes C1 controls and bidi overrides as \\uXXXX, keeping the value', () => {
    const r = runCli(['--json', '--offline', '--seed', '1', '--scenario', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('\\u009b31m');
    expect(r.stdout).toContain('\\u202e');
    const start = jsonLines(r.stdout)[0] as { scenario: string };
    expect(start.scenario).toBe(`evil${C1_CSI}${RLO}`);
  });

  it('jsonLine escapes every C1 control and bidi override, and nothing else', () => {
    for (const c of [
      '\u0080',
      '\u009b',
      '\u009f',
      '\u007f',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
    ]) {
      const line = jsonLine({ s: `a${c}b` });
      expect(line).not.toMatch(RAW);
      expect(JSON.parse(line)).toEqual({ s: `a${c}b` });
    }
    expect(jsonLine({ s: 'héllo ✓ n1' })).toBe('{"s":"héllo ✓ n1"}');
  });
});

describe('scenario files', () => {
  it('with a UTF-8 byte-order mark are accepted', () => {
    const file = join(tempDir(), 'bom.json');
    const text = readFileSync(join(import.meta.dirname, '../../examples/custom-scenario.json'));
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]));
    const r = runCli(['--json', '--offline', '--seed', '1', '--scenario', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('far too large are refused by size, before they are read', () => {
    const file = join(tempDir(), 'huge.json');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 300 * 1024 * 1024); // sparse: 300 MB that take no disk
    closeSync(fd);
    const started = performance.now();
    const r = runCli(['--headless', '--offline', '--scenario', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /huge\.json: a scenario file is at most 1024 KB, this one is 307200 KB$/,
    );
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('node ids from a model', () => {
  it.each([
    ['n\u200b1', 'zero-width space'],
    ['\u2060n1\ufeff', 'word joiner and BOM'],
    ['n\u200d1', 'zero-width joiner'],
    ['ｎ１', 'full-width letters'],
    ['N\u00ad1', 'soft hyphen'],
  ])('%j (%s) is read as n1', (id) => {
    const r = parseAnswer(JSON.stringify({ node_id: id, score: 0.9, reasoning: 'x' }), 'propose');
    expect(r.ok).toBe(true);
    if (r.ok && r.answer.kind === 'proposal') expect(r.answer.nodeId).toBe('n1');
  });
});
