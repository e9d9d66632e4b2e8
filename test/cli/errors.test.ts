// Bad input gets one line on stderr naming what was wrong, exit code 2, and no stack trace.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

function expectUsageError(
  r: { code: number | null; stdout: string; stderr: string },
  mentions: RegExp,
) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^hybrid-tui: /);
  expect(lines[0]).toMatch(mentions);
  expect(r.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
}

describe('command-line errors', () => {
  it('rejects an unknown flag', () => {
    expectUsageError(runCli(['--frobnicate']), /unknown option --frobnicate/);
  });

  it('rejects a bad --speed', () => {
    expectUsageError(runCli(['--headless', '--speed', 'fast']), /--speed: "fast"/);
  });

  it.each([
    [['--rounds', '0'], /--rounds/],
    [['--protocol', 'paxos'], /--protocol: "paxos"/],
    [['--byzantine-rate', '1.5'], /--byzantine-rate/],
    [['--fault-duration', '30-15'], /--fault-duration/],
    [['--base-url', 'not a url'], /--base-url/],
    [['--scenario', 'nope'], /--scenario: "nope"/],
    [['--quorum', '0.4'], /--quorum: 0\.4 is out of range \(0\.5 to below 1\)/],
    [['--quorum', '1'], /--quorum: 1 is out of range/],
    [['--adversary', 'evil'], /--adversary: "evil" is not one of original, strategic/],
    [['--offline-noise', '2'], /--offline-noise: 2 is out of range/],
    [['--jail-heights', '0'], /--jail-heights: 0 is out of range \(1 to 1000000\)/],
    [['--jail-heights', '2.5'], /--jail-heights: "2\.5" is not a whole number/],
  ])('rejects %j', (args, mentions) => {
    expectUsageError(runCli(['--headless', ...args]), mentions);
  });

  it('rejects a scenario file that is not JSON, naming the file', () => {
    const file = join(tempDir(), 'broken.json');
    writeFileSync(file, '{ "name": "x", steps: [');
    expectUsageError(
      runCli(['--headless', '--scenario', file]),
      new RegExp(`${file}: not valid JSON`),
    );
  });

  it('names where a scenario file stops being JSON or YAML, without quoting it across lines', () => {
    const dir = tempDir();
    const yamlInJson = join(dir, 'looks-like-yaml.json');
    writeFileSync(yamlInJson, 'name: x\nsteps:\n  - type: rounds\n');
    expectUsageError(
      runCli(['--headless', '--scenario', yamlInJson]),
      new RegExp(`${yamlInJson}: not valid JSON \\(Unexpected token 'a'\\)$`),
    );
    const brokenYaml = join(dir, 'broken.yaml');
    writeFileSync(brokenYaml, 'name: x\nsteps: [\n');
    expectUsageError(
      runCli(['--headless', '--scenario', brokenYaml]),
      new RegExp(`${brokenYaml}: not valid YAML at line \\d+, column \\d+: \\S`),
    );
  });

  it('rejects a scenario file naming an unknown agent, naming the field', () => {
    const file = join(tempDir(), 'unknown-agent.json');
    writeFileSync(
      file,
      JSON.stringify({ name: 'x', steps: [{ type: 'inject', agent: 'zeta', fault: 'crash' }] }),
    );
    expectUsageError(
      runCli(['--headless', '--scenario', file]),
      /steps\[0\]\.agent: "zeta" is an unknown agent; known: alpha/,
    );
  });

  it('rejects a scenario step with a wrong field type', () => {
    const file = join(tempDir(), 'bad-count.json');
    writeFileSync(file, JSON.stringify({ name: 'x', steps: [{ type: 'rounds', count: 'three' }] }));
    expectUsageError(runCli(['--headless', '--scenario', file]), /steps\[0\]\.count/);
  });

  it('rejects an upper-case node id, which model answers could never match', () => {
    const file = join(tempDir(), 'upper-node.json');
    const node = { id: 'GPU-A', name: 'A', cpus: 8, ram_gb: 64, gpus: 4, type: 'gpu' };
    writeFileSync(
      file,
      JSON.stringify({ name: 'x', nodes: [node], steps: [{ type: 'rounds', count: 1 }] }),
    );
    expectUsageError(
      runCli(['--headless', '--scenario', file]),
      /nodes\[0\]\.id: expected a lower-case node id/,
    );
  });

  it('says plainly when the recording cannot be written', () => {
    expectUsageError(
      runCli(['--headless', '--offline', '--record', '/nonexistent-dir/run.jsonl']),
      /--record: cannot write \/nonexistent-dir\/run.jsonl \(ENOENT\)/,
    );
  });

  it('rejects a recording that is not one', () => {
    const file = join(tempDir(), 'rec.jsonl');
    writeFileSync(file, '{"type":"vote"}\n');
    expectUsageError(runCli(['--headless', '--replay', file]), /no run_start/);
  });

  it('prints help and version with exit code 0', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--scenario NAME|FILE');
    // --version means the same after every command, sweep included (it has options of its own).
    for (const args of [['--version'], ['sweep', '--version'], ['sweep', '-V'], ['check', '-V']]) {
      const version = runCli(args);
      expect(version.code, args.join(' ')).toBe(0);
      expect(version.stdout, args.join(' ')).toMatch(/^hybrid-tui \d+\.\d+\.\d+\n$/);
    }
  });
});
