// How a sweep's runs are cut into the pool's tasks. A task per run would cost a round trip
// between threads per run, and on a busy machine each wake-up waits for a core; so runs go in
// batches of up to 1/16 of a worker's share (the load stays balanced, the progress line moves).
// Near the end the batches shrink (guided self-scheduling): the last one to finish is small, so
// no worker sits idle for long while another works through a full batch.

/** Consecutive slices of `items`, in order, covering each item once. */
export function planBatches<T>(items: readonly T[], workers: number): T[][] {
  const lanes = Math.max(1, workers);
  const cap = Math.max(1, Math.ceil(items.length / (lanes * 16)));
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    // A quarter of each worker's share of what is left, at most the cap: full size until the
    // last 4 * cap * workers runs, then shrinking to single runs.
    const size = Math.min(cap, Math.max(1, Math.ceil((items.length - i) / (lanes * 4))));
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}
