// Scenario files and the replicated protocol: adversary, quorum, partitions (agent or group),
// scripted corruption, release; each mistake is one line naming the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { parseScenarioFile } from '../../src/core/scenario-file.js';
import { collect, config, ofType } from './helpers.js';

const parse = (o: unknown) => parseScenarioFile(JSON.stringify(o), 'f.json');

describe('scenario files: the bft knobs', () => {
  it('reads adversary, quorum, partition groups, scripted corruption and release', () => {
    const s = parse({
      name: 'split',
      adversary: 'strategic',
      quorum: 0.5,
      steps: [
        { type: 'inject', agent: 'alpha', fault: 'partition', group: ['alpha', 'beta'] },
        { type: 'inject', agent: 'gamma', fault: 'byzantine', adversary: 'silent', scripted: true },
        { type: 'quorum', quorum: null },
        { type: 'release', agent: 'all' },
        { type: 'rounds', count: 1 },
      ],
    });
    expect(s.scenario).toMatchObject({ adversary: 'strategic', quorum: 0.5 });
    expect(s.scenario.steps.slice(0, 4)).toEqual([
      { type: 'inject', agent: 'alpha', fault: 'partition', group: ['alpha', 'beta'] },
      { type: 'inject', agent: 'gamma', fault: 'byzantine', adversary: 'silent', scripted: true },
      { type: 'quorum', quorum: null },
      { type: 'release', agent: 'all' },
    ]);
  });

  it.each([
    [{ quorum: 0.4 }, /^f\.json: quorum: /],
    [{ quorum: 1 }, /^f\.json: quorum: expected a fraction below 1/],
    [{ adversary: 'evil' }, /^f\.json: adversary: /],
    [
      { steps: [{ type: 'inject', agent: 'alpha', fault: 'partition', group: ['alpha', 'zeta'] }] },
      /^f\.json: steps\[0\]\.group\[1\]: "zeta" is an unknown agent/,
    ],
    [
      { steps: [{ type: 'inject', agent: 'alpha', fault: 'crash', group: ['alpha'] }] },
      /^f\.json: steps\[0\]\.group: only a partition cuts off a group/,
    ],
    [
      { steps: [{ type: 'inject', agent: 'alpha', fault: 'partition', group: ['beta'] }] },
      /^f\.json: steps\[0\]\.group: the group must include the agent "alpha"/,
    ],
    [
      { steps: [{ type: 'inject', agent: 'alpha', fault: 'crash', adversary: 'silent' }] },
      /^f\.json: steps\[0\]\.adversary: only a byzantine fault has an adversary/,
    ],
    [{ steps: [{ type: 'quorum', quorum: 2 }] }, /^f\.json: steps\[0\]\.quorum: /],
    [{ steps: [{ type: 'release', agent: 'zeta' }] }, /^f\.json: steps\[0\]\.agent: "zeta"/],
    // An unknown key names the keys known there: a step's by its type, an agent's, the file's.
    [
      { steps: [{ type: 'inject', agent: 'alpha', fault: 'crash', durationMs: 5 }] },
      /^f\.json: steps\[0\]: Unrecognized key: "durationMs"; known here: type, agent, fault, duration_s, group, bridge, adversary, scripted$/,
    ],
    [
      { steps: [{ type: 'wait_recovery', max: 5 }] },
      /^f\.json: steps\[0\]: Unrecognized key: "max"; known here: type, max_s$/,
    ],
    [
      { agents: [{ id: 'a', name: 'A', specialty: 'gpu', weight: 1, modle: 'm' }] },
      /^f\.json: agents\[0\]: Unrecognized key: "modle"; known here: id, name, specialty, weight, model, base_url, api_key_env$/,
    ],
    [
      { step: [] },
      /^f\.json: top level: Unrecognized key: "step"; known here: name, description, /,
    ],
  ])('rejects %j with one line naming the field', (patch, message) => {
    const run = () => parse({ name: 'x', steps: [{ type: 'rounds', count: 1 }], ...patch });
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('a group partition cuts the group off together: both halves fall short, nobody commits', () => {
    const s = parse({
      name: 'split',
      protocol: 'bft',
      steps: [
        {
          type: 'inject',
          agent: 'alpha',
          fault: 'partition',
          group: ['alpha', 'beta'],
          duration_s: 600,
        },
        { type: 'rounds', count: 1, job: 'data-analytics' },
      ],
    });
    const events = collect(config({ protocol: 'bft', scenario: s.scenario }));
    const faults = ofType(events, 'fault');
    expect(faults.map((f) => [f.agent, f.kind, f.group])).toEqual([
      ['alpha', 'partition', ['alpha', 'beta']],
      ['beta', 'partition', ['alpha', 'beta']],
    ]);
    // 2.5 on one side, 3.0 on the other: neither is over 2/3 of 5.5.
    const [d] = ofType(events, 'decision');
    expect(d).toMatchObject({ outcome: 'no_decision', fork: false });
    expect(d?.reason).toMatch(/faulty weight 2\.5 of 5\.5|partitioned/);
    expect(ofType(events, 'commit')).toEqual([]);
    expect(ofType(events, 'jail')).toEqual([]);
  });
});

describe('scenario files in YAML', () => {
  it('a .yaml file reads as its JSON twin; the same text named .json is refused as JSON', () => {
    const example = readFileSync(
      new URL('../../examples/custom-scenario.json', import.meta.url),
      'utf8',
    );
    const yaml = stringifyYaml(JSON.parse(example));
    expect(yaml).not.toContain('{');
    expect(parseScenarioFile(yaml, 'siege.yaml')).toEqual(parseScenarioFile(example, 'siege.json'));
    expect(parseScenarioFile(yaml, 'siege.YML')).toEqual(parseScenarioFile(example, 'x.json'));
    expect(() => parseScenarioFile(yaml, 'siege.json')).toThrow(
      /^siege\.json: not valid JSON \(Unexpected token/,
    );
  });
});
