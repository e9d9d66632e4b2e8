// Building a CoreConfig with the defaults of the original demo, overridable piece by piece.
import { DEFAULT_AGENTS, DEFAULT_JOBS, DEFAULT_NODES } from './catalogue.js';
import { BUILTIN_SCENARIOS } from './scenario.js';
import { DEFAULT_JAIL_HEIGHTS, DEFAULT_NETWORK, DEFAULT_TIMING, type CoreConfig } from './state.js';

export function makeCoreConfig(overrides: Partial<CoreConfig> = {}): CoreConfig {
  return {
    seed: 1,
    agents: [...DEFAULT_AGENTS],
    nodes: [...DEFAULT_NODES],
    jobs: [...DEFAULT_JOBS],
    scenario: BUILTIN_SCENARIOS['tour'] as CoreConfig['scenario'],
    protocol: 'classic',
    byzantineRate: 0.7,
    faultDurationMs: [15_000, 30_000],
    freePlay: false,
    maxRounds: null,
    timing: DEFAULT_TIMING,
    adversary: null,
    quorum: null,
    offlineNoise: 0,
    network: DEFAULT_NETWORK,
    jailHeights: DEFAULT_JAIL_HEIGHTS,
    ...overrides,
  };
}
