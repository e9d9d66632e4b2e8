// What a fresh worker runs before its share of a sweep, and why. V8 compiles the engine's hot
// functions for the object shapes it has seen so far; a sweep's cells bring new ones (another
// protocol, adversary, fault) one after another, and each throws the compiled code away to be
// compiled again: in the paper preset 430 compilations of 170 functions, the largest 4 times
// over, on the core a second worker needs. A short run of every kind of cell first shows the
// compiler every shape before it compiles. The warm-up runs' results are thrown away, so the
// outputs stay the same for any number of workers (bench/sweep.ts measures the gain).
import type { CellParams } from './knobs.js';

/** At most this many cells, spread over the grid: a huge grid's cells repeat the same kinds. */
const MAX_WARM_UP_CELLS = 64;

export function warmUpCells(cells: readonly CellParams[]): CellParams[] {
  if (cells.length <= MAX_WARM_UP_CELLS) return [...cells];
  const step = cells.length / MAX_WARM_UP_CELLS;
  return Array.from({ length: MAX_WARM_UP_CELLS }, (_, i) => cells[Math.floor(i * step)]!);
}
