// What one replica has received for one step of one round: each sender counted once (the first
// message wins; a second, conflicting one is evidence, never a second vote), weight per value.
export const NIL = -1;
/** No value has reached the quorum (yet). */
export const NONE = -2;

export class Tally {
  /** Per sender: the value received + 2; 0 = nothing received yet. */
  private readonly got: Int32Array;
  /** Per value + 1 (slot 0 is nil). */
  private readonly weights: Float64Array;
  /** Weight of every sender heard from, whatever it voted. */
  any = 0;
  /** The value (or NIL) whose weight passed the quorum, NONE until one does. */
  quorumValue = NONE;

  constructor(senders: number, values: number) {
    this.got = new Int32Array(senders);
    this.weights = new Float64Array(values + 1);
  }

  /** Counts a vote; false when this sender was already counted (duplicate or equivocation). */
  add(sender: number, value: number, weight: number, meets: (w: number) => boolean): boolean {
    if (this.got[sender] !== 0) return false;
    this.got[sender] = value + 2;
    this.any += weight;
    const w = (this.weights[value + 1] ?? 0) + weight;
    this.weights[value + 1] = w;
    if (this.quorumValue === NONE && meets(w)) this.quorumValue = value;
    return true;
  }

  /** The value counted for a sender, or NONE. */
  valueOf(sender: number): number {
    const g = this.got[sender] ?? 0;
    return g === 0 ? NONE : g - 2;
  }

  weightOf(value: number): number {
    return this.weights[value + 1] ?? 0;
  }
}
