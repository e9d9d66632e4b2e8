// The candidate a replica's model is asked to judge, shared across heights: the same job, node,
// proposer and supporters give the same object, so what the runtime builds from it (the prompt's
// candidate part, the memoised offline answer) is built once, not once per height.
import type { CandidateView } from '../types.js';

const MAX_KEYS = 4096;

export type CandidateCache = Map<string, CandidateView[]>;

export function sharedCandidate(
  cache: CandidateCache,
  jobId: string,
  c: CandidateView,
): CandidateView {
  const key = `${jobId}\u0000${c.nodeId}\u0000${c.proposer}\u0000${c.score}`;
  let list = cache.get(key);
  if (!list) {
    // Bounded: a long run with ever-new candidates (models that reword) starts over.
    if (cache.size >= MAX_KEYS) cache.clear();
    cache.set(key, (list = []));
  }
  const same = list.find(
    (x) =>
      x.supporters.length === c.supporters.length &&
      x.supporters.every((s, i) => {
        const o = c.supporters[i];
        return (
          o !== undefined &&
          s.agent === o.agent &&
          s.score === o.score &&
          s.reasoning === o.reasoning
        );
      }),
  );
  if (same) return same;
  if (list.length < 8) list.push(c);
  return c;
}
