// Sweep specs and flags: what they accept, and the one-line errors naming the field otherwise.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { parseSweepArgs } from '../../src/sweep/args.js';
import { resolveSpec } from '../../src/sweep/command.js';
import { PRESETS } from '../../src/sweep/presets.js';
import { parseSpecText, specFromObject, specToObject, SweepError } from '../../src/sweep/spec.js';

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err instanceof SweepError || err instanceof UsageError).toBe(true);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).not.toContain('\x1b');
    return message;
  }
  throw new Error('expected an error');
};

describe('sweep spec files', () => {
  it('reads YAML with scalars or lists for every axis', () => {
    const spec = parseSpecText(
      [
        'name: mine',
        'rounds: 12',
        'seeds: 4',
        'protocol: bft',
        'byzantine: [0, [beta, delta]]',
        'byzantine_rate: [0.7, 1.0]',
        'faults:',
        '  - []',
        '  - [{agent: delta, kind: crash, after_rounds: 3, duration_s: 20}]',
        'job_mix: [[ai-training, log-archive], null]',
        'jail_heights: [1, 100]',
      ].join('\n'),
      'mine.yaml',
    );
    expect(spec.jailHeights).toEqual([1, 100]);
    expect(spec.name).toBe('mine');
    expect(spec.protocol).toEqual(['bft']);
    expect(spec.byzantine).toEqual([
      { kind: 'count', count: 0 },
      { kind: 'agents', ids: ['beta', 'delta'] },
    ]);
    expect(spec.faults[1]).toEqual([
      { agent: 'delta', kind: 'crash', afterRounds: 3, durationS: 20 },
    ]);
    expect(spec.jobMix).toEqual([['ai-training', 'log-archive'], null]);
    // What results.json stores reads back to the same spec.
    expect(specFromObject(specToObject(spec), 'x')).toEqual(spec);
  });

  it.each([
    ['{"protocol": ["classic", "raft"]}', 's.json', /^s\.json: protocol\[1\]: /],
    [
      '{"byzantine": [["beta", "zeta"]]}',
      's.json',
      /^s\.json: byzantine\[0\]\[1\]: "zeta" is an unknown agent; known: alpha/,
    ],
    ['{"byzantine": [9]}', 's.json', /^s\.json: byzantine\[0\]: 9 is more than the 5 agents$/],
    [
      '{"byzantine": [1], "byzantine_share": [0.2]}',
      's.json',
      /^s\.json: byzantine_share: give either/,
    ],
    ['{"quorum": [0.4]}', 's.json', /^s\.json: quorum\[0\]: /],
    ['{"rounds": 0}', 's.json', /^s\.json: rounds: /],
    [
      '{"job_mix": [["ai-training", "baking"]]}',
      's.json',
      /^s\.json: job_mix\[0\]\[1\]: "baking" is an unknown job/,
    ],
    [
      '{"faults": [[{"agent": "beta", "kind": "melt", "duration_s": 3}]]}',
      's.json',
      /^s\.json: faults\[0\]\[0\]\.kind: /,
    ],
    ['{"seeds": 3, "colour": "red"}', 's.json', /^s\.json: top level: .*colour/],
    ['{"seeds": ', 's.json', /^s\.json: not valid JSON \(Unexpected end of JSON input\)$/],
    [
      '{"name": "evil\\u001b]0;pwned\\u0007"}',
      's.json',
      /^s\.json: name: expected 1 to 60 letters/,
    ],
    // The escape sequence in the key is stripped from the message, not sent to the terminal.
    [
      '{"col\\u001b[2Jour": 1}',
      's.json',
      /^s\.json: top level: Unrecognized key: "colour"; known here: name, rounds, seeds, base_seed, /,
    ],
    [
      '{"faults": [[{"agent": "beta", "kind": "crash", "seconds": 3}]]}',
      's.json',
      /^s\.json: faults\[0\]\[0\]: Unrecognized key: "seconds"; known here: agent, kind, after_rounds, duration_s$/,
    ],
    ['seeds: [1', 's.yaml', /^s\.yaml: not valid YAML at line 1, column \d+: \S/],
  ])('refuses %s in one line naming the field', (text, file, pattern) => {
    expect(errorOf(() => parseSpecText(text, file))).toMatch(pattern);
  });
});

describe('sweep flags', () => {
  const spec = (argv: string[]) => resolveSpec(parseSweepArgs(argv));

  it('override a preset field by field', () => {
    const s = spec([
      '--preset',
      'smoke',
      '--seeds',
      '7',
      '--byzantine',
      '0,beta+delta',
      '--faults',
      'none,crash:delta@2:15',
    ]);
    expect(s.rounds).toBe(PRESETS.smoke.rounds);
    expect(s.seeds).toBe(7);
    expect(s.byzantine).toEqual([
      { kind: 'count', count: 0 },
      { kind: 'agents', ids: ['beta', 'delta'] },
    ]);
    expect(s.faults).toEqual([
      [],
      [{ agent: 'delta', kind: 'crash', afterRounds: 2, durationS: 15 }],
    ]);
  });

  it('vary the jail term, which a spec leaves out of results.json at its default', () => {
    expect(spec(['--jail-heights', '1,10,100']).jailHeights).toEqual([1, 10, 100]);
    expect(spec([]).jailHeights).toEqual([10]);
    // A spec from before the axis existed stores, and so merges, as it always did.
    expect(specToObject(spec(['--preset', 'paper']))).not.toHaveProperty('jail_heights');
    expect(specToObject(spec(['--jail-heights', '3']))).toHaveProperty('jail_heights', [3]);
    expect(errorOf(() => spec(['--jail-heights', '0']))).toMatch(/^sweep: --jail-heights\[0\]: /);
    expect(errorOf(() => spec(['--jail-heights', '2.5']))).toMatch(/^sweep: --jail-heights\[0\]: /);
  });

  it.each([
    [['--byzantine-rate', '0.7,lots'], /^sweep: --byzantine-rate\[1\]: /],
    [['--quorum', '1.5'], /^sweep: --quorum\[0\]: /],
    [['--protocol', 'paxos'], /^sweep: --protocol\[0\]: /],
    [
      ['--faults', 'crash-delta'],
      /^--faults: "crash-delta" is not KIND:AGENT@AFTER_ROUNDS:SECONDS/,
    ],
    [['--shard', '3/3'], /^--shard: "3\/3" is not I\/N/],
    [['--workers', '0'], /^--workers: "0" is not a whole number/],
    [['--preset', 'huge'], /^--preset: "huge" is not one of smoke, paper, quorum$/],
    [['--colour'], /^sweep: unknown option --colour/],
    [['merge'], /^sweep merge: name the shard folders/],
    [['merge', 'a', '--seeds', '3'], /^sweep merge: the grid comes from the shards/],
  ])('%j is refused in one line', (argv, pattern) => {
    expect(errorOf(() => spec(argv))).toMatch(pattern);
  });
});
