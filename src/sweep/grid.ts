// From a spec to its cells (the product of the axes) and runs (cells x seeds), and the slice of
// runs one shard takes. Everything here is a pure function of the spec: every shard of a cluster
// job computes the same grid and the same seeds.
import { createHash } from 'node:crypto';
import { DEFAULT_AGENTS } from '../core/catalogue.js';
import { DEFAULT_JAIL_HEIGHTS } from '../core/state.js';
import { effectiveAdversary, weightShare, type CellParams } from './knobs.js';
import type { ByzantineChoice, SweepSpec } from './spec.js';

export interface Cell extends CellParams {
  index: number;
  /** Canonical text of the parameters: names the cell in seeds and in the bootstrap. */
  key: string;
  byzantineShare: number;
}

export interface RunRef {
  index: number;
  cell: number;
  seedIndex: number;
  seed: number;
}

export interface Grid {
  cells: Cell[];
  runs: RunRef[];
}

export function buildGrid(spec: SweepSpec): Grid {
  const cells: Cell[] = [];
  for (const protocol of spec.protocol)
    for (const adversary of spec.adversary)
      for (const byz of spec.byzantine)
        for (const byzantineRate of spec.byzantineRate)
          for (const quorum of spec.quorum)
            for (const offlineNoise of spec.offlineNoise)
              for (const faults of spec.faults)
                for (const jobMix of spec.jobMix)
                  for (const jailHeights of spec.jailHeights) {
                    const byzantine = byzantineAgents(byz);
                    const params: CellParams = {
                      protocol,
                      adversary: effectiveAdversary(protocol, adversary),
                      byzantine,
                      byzantineRate,
                      quorum,
                      offlineNoise,
                      faults,
                      jobMix,
                      jailHeights,
                    };
                    cells.push({
                      ...params,
                      index: cells.length,
                      key: cellKey(params),
                      byzantineShare: weightShare(byzantine),
                    });
                  }
  const runs: RunRef[] = [];
  for (const cell of cells)
    for (let seedIndex = 0; seedIndex < spec.seeds; seedIndex++)
      runs.push({
        index: runs.length,
        cell: cell.index,
        seedIndex,
        seed: runSeed(spec.baseSeed, cell.key, seedIndex),
      });
  return { cells, runs };
}

/**
 * A cell's canonical text. The jail term is left out at its default, so every cell that could be
 * run before the term was an axis keeps its key, and with it its runs' seeds.
 */
function cellKey(params: CellParams): string {
  const { jailHeights, ...rest } = params;
  return JSON.stringify(jailHeights === DEFAULT_JAIL_HEIGHTS ? rest : params);
}

/**
 * A run's seed from its cell's parameters and its seed index (not from positions in the grid), so
 * adding a value to an axis leaves every other cell's runs as they were.
 */
export function runSeed(baseSeed: number, cellKey: string, seedIndex: number): number {
  const h = createHash('sha256').update(`${baseSeed}|${cellKey}|${seedIndex}`).digest();
  return h.readUInt32BE(0) >>> 1;
}

/** The agents a byzantine choice names; counts and shares take agents in the agents' order. */
export function byzantineAgents(choice: ByzantineChoice): string[] {
  switch (choice.kind) {
    case 'count':
      return DEFAULT_AGENTS.slice(0, choice.count).map((a) => a.id);
    case 'agents':
      return DEFAULT_AGENTS.filter((a) => choice.ids.includes(a.id)).map((a) => a.id);
    case 'share': {
      // Greedy in order, skipping an agent that would take the share past the target.
      const picked: string[] = [];
      for (const a of DEFAULT_AGENTS)
        if (weightShare([...picked, a.id]) <= choice.share + 1e-9) picked.push(a.id);
      return picked;
    }
    default: {
      const never: never = choice;
      return never;
    }
  }
}

export interface Shard {
  index: number;
  count: number;
}

/** Shard I of N takes runs I, I+N, I+2N...: disjoint, covering, and balanced across cells. */
export function shardRuns(runs: readonly RunRef[], shard: Shard): RunRef[] {
  return runs.filter((r) => r.index % shard.count === shard.index);
}
