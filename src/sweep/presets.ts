// Built-in sweeps. `paper` is the headline table: protocols x adversaries x 0..2 byzantine agents
// x corruption rates 0.7 and 1.0, 20 seeds. `quorum` is what the quorum trades under bft.
import { ADVERSARIES } from '../core/types.js';
import { DEFAULT_SPEC, type SweepSpec } from './spec.js';

export const PRESETS = {
  smoke: {
    ...DEFAULT_SPEC,
    name: 'smoke',
    rounds: 8,
    seeds: 3,
    protocol: ['classic', 'bft'],
    byzantine: [
      { kind: 'count', count: 0 },
      { kind: 'count', count: 1 },
    ],
    byzantineRate: [1],
  },
  paper: {
    ...DEFAULT_SPEC,
    name: 'paper',
    // 600 heights a run, not 30: a run's rates were coarse (steps of 1/30), and the whole sweep
    // took less time than a worker needs to compile the engine, so a second worker could not
    // help (the README's Performance section has the figures from bench/sweep.ts).
    rounds: 600,
    seeds: 20,
    protocol: ['classic', 'bft'],
    adversary: [...ADVERSARIES],
    byzantine: [0, 1, 2].map((count) => ({ kind: 'count', count })),
    byzantineRate: [0.7, 1],
  },
  /** bft under an equivocator, quorum 0.5 to 0.9: forks below 2/3, liveness lost high up. */
  quorum: {
    ...DEFAULT_SPEC,
    name: 'quorum',
    rounds: 30,
    seeds: 20,
    protocol: ['bft'],
    adversary: ['equivocate'],
    byzantine: [0, 1].map((count) => ({ kind: 'count', count })),
    byzantineRate: [1],
    quorum: [0.5, 0.6, null, 0.7, 0.8, 0.9],
  },
} satisfies Record<string, SweepSpec>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
