// What one replica has received for one step of one round. Each sender counts once per value it
// voted (a repeat is ignored), and once in `any`. A byzantine sender that voted two values (it
// equivocated: both messages are signed, gossip brings both) counts for each, as CometBFT's vote
// sets count a conflicting vote for a block someone claims 2/3 for: two quorums for different
// values then still need more than 1/3 of the weight to have voted both, which honest ones never do.
export const NIL = -1;
/** No value has reached the quorum (yet). */
export const NONE = -2;

export const REPEAT = 0;
export const COUNTED = 1;
export const CONFLICT = 2;
export type AddResult = typeof REPEAT | typeof COUNTED | typeof CONFLICT;

export class Tally {
  /** Per sender: the first value received + 2; 0 = nothing received yet. */
  private readonly got: number[];
  /** Senders heard voting more than one value: every value each of them voted. */
  private conflicting: Map<number, Set<number>> | null = null;
  /** Per value + 1 (slot 0 is nil). */
  private readonly weights: number[];
  /** Weight of every sender heard from, whatever it voted. */
  any = 0;
  /** `any` has reached the quorum (lines 34 and 47 wait for it). */
  anyQuorum = false;
  /** The value (or NIL) whose weight passed the quorum, NONE until one does. */
  quorumValue = NONE;

  constructor(senders: number, values: number) {
    // Plain arrays: a height allocates a few per replica and round, and small typed arrays cost more.
    this.got = new Array<number>(senders).fill(0);
    this.weights = new Array<number>(values + 1).fill(0);
  }

  /**
   * Counts a vote: REPEAT when this sender's vote for this value was already counted, CONFLICT
   * when the sender had voted another value (the two signed votes are evidence), else COUNTED.
   */
  add(
    sender: number,
    value: number,
    weight: number,
    // An object, not a closure: a closure per vote is n^2 allocations a height.
    rule: { quorum(weight: number): boolean },
  ): AddResult {
    const first = this.got[sender] ?? 0;
    let result: AddResult = COUNTED;
    if (first === 0) {
      this.got[sender] = value + 2;
      this.any += weight;
      if (!this.anyQuorum && rule.quorum(this.any)) this.anyQuorum = true;
    } else {
      if (first === value + 2) return REPEAT;
      this.conflicting ??= new Map();
      let seen = this.conflicting.get(sender);
      if (!seen) this.conflicting.set(sender, (seen = new Set([first - 2])));
      if (seen.has(value)) return REPEAT;
      seen.add(value);
      result = CONFLICT;
    }
    const w = (this.weights[value + 1] ?? 0) + weight;
    this.weights[value + 1] = w;
    if (this.quorumValue === NONE && rule.quorum(w)) this.quorumValue = value;
    return result;
  }

  /** The first value counted for a sender, or NONE. */
  valueOf(sender: number): number {
    const g = this.got[sender] ?? 0;
    return g === 0 ? NONE : g - 2;
  }

  weightOf(value: number): number {
    return this.weights[value + 1] ?? 0;
  }
}
