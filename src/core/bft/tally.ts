// What the replicas have received for one step of one round. Each sender counts once per value it
// voted (a repeat is ignored), and once in `any`. A byzantine sender that voted two values (it
// equivocated: both messages are signed, gossip brings both) counts for each, as CometBFT's vote
// sets count a conflicting vote for a block someone claims 2/3 for: two quorums for different
// values then still need more than 1/3 of the weight to have voted both, which honest ones never do.
//
// One VoteBook holds every receiver's count, a row each, and a replica reads its own row through
// a Tally. Laid out this way because at 100 agents a height counts 20,000 votes, and a vote
// counted in a row of one shared array costs a fraction of one counted in an object per replica.
import { passes, type Thresholds } from '../quorum.js';

export const NIL = -1;
/** No value has reached the quorum (yet). */
export const NONE = -2;

// What counting a vote did (bits): nothing (a repeat), counted it, found the sender had voted
// another value (the two signed votes are evidence), and crossed a threshold (2f+1 of any kind,
// or for one value), which is all that can enable a replica's rule.
export const REPEAT = 0;
export const COUNTED = 1;
export const CONFLICT = 2;
export const CROSSED = 4;
export type AddResult = number;

/**
 * Packed arrays of zeros to copy from, one of small integers and one of doubles (their elements'
 * kinds stay as they are made: a copy of the second takes weights without boxing them).
 */
const SMI_ZEROS: number[] = [];
const DOUBLE_ZEROS: number[] = [0.5];
DOUBLE_ZEROS[0] = 0;

/** The first `n` of `template`, grown first if need be (with pushes, which keep it packed). */
function zeros(template: number[], n: number): number[] {
  while (template.length < n) template.push(0);
  return template.slice(0, n);
}

export class VoteBook {
  /** Per receiver and sender: the first value received + 2; 0 = nothing received yet. */
  private readonly got: number[] | Int32Array;
  /** Per receiver and value + 1 (slot 0 is nil). */
  private readonly weights: number[];
  /** Per receiver: weight of every sender heard from, whatever it voted. */
  private readonly any: number[];
  /** Per receiver: `any` has reached the quorum (lines 34 and 47 wait for it). */
  readonly anyQuorum: boolean[];
  /** Per receiver: the value (or NIL) whose weight passed the quorum, NONE until one does. */
  readonly quorumValue: number[];
  /** Receiver-sender pairs (receiver * senders + sender) heard voting more than one value. */
  private conflicting: Map<number, Set<number>> | null = null;
  private readonly stride: number;

  constructor(
    readonly senders: number,
    values: number,
    /** The height's quorum, worked out once. */
    private readonly thresholds: Thresholds,
  ) {
    // Plain arrays: a 5-agent height takes a few books, and small typed arrays cost more. Packed
    // (copied from a template), not Array(n).fill(0): reading a holey array of weights with `??`
    // boxed every sum it stored again, about 27 bytes for each of a 100-agent height's votes.
    this.stride = values + 1;
    // From about 32 senders a typed array: the young-generation collector copies a plain array
    // that is alive (80 KB at 100 agents), and leaves a typed array's store where it is.
    this.got =
      senders * senders > 1024
        ? new Int32Array(senders * senders)
        : zeros(SMI_ZEROS, senders * senders);
    this.weights = zeros(DOUBLE_ZEROS, senders * this.stride);
    this.any = zeros(DOUBLE_ZEROS, senders);
    this.anyQuorum = new Array<boolean>(senders).fill(false);
    this.quorumValue = new Array<number>(senders).fill(NONE);
  }

  /** Counts, at receiver `to`, a vote for `value` by `sender`. */
  add(to: number, sender: number, value: number, weight: number): AddResult {
    if (value + 1 >= this.stride || value < NIL) throw new RangeError(`no value ${value}`);
    const at = to * this.senders + sender;
    const first = this.got[at] ?? 0;
    let result = COUNTED;
    if (first === 0) {
      this.got[at] = value + 2;
      const any = (this.any[to] ?? 0) + weight;
      this.any[to] = any;
      if (!this.anyQuorum[to] && passes(this.thresholds, any)) {
        this.anyQuorum[to] = true;
        result |= CROSSED;
      }
    } else {
      if (first === value + 2) return REPEAT;
      this.conflicting ??= new Map();
      let seen = this.conflicting.get(at);
      if (!seen) this.conflicting.set(at, (seen = new Set([first - 2])));
      if (seen.has(value)) return REPEAT;
      seen.add(value);
      result = CONFLICT;
    }
    const slot = to * this.stride + value + 1;
    const w = (this.weights[slot] ?? 0) + weight;
    this.weights[slot] = w;
    if (this.quorumValue[to] === NONE && passes(this.thresholds, w)) {
      this.quorumValue[to] = value;
      result |= CROSSED;
    }
    return result;
  }

  /** The first value receiver `to` counted for `sender`, or NONE. */
  valueOf(to: number, sender: number): number {
    const g = this.got[to * this.senders + sender] ?? 0;
    return g === 0 ? NONE : g - 2;
  }

  weightOf(to: number, value: number): number {
    return this.weights[to * this.stride + value + 1] ?? 0;
  }
}

/** One replica's row of a VoteBook: what it has received for one step of one round. */
export class Tally {
  constructor(
    private readonly book: VoteBook,
    private readonly row: number,
  ) {}

  get anyQuorum(): boolean {
    return this.book.anyQuorum[this.row] === true;
  }

  get quorumValue(): number {
    return this.book.quorumValue[this.row] ?? NONE;
  }

  add(sender: number, value: number, weight: number): AddResult {
    return this.book.add(this.row, sender, value, weight);
  }

  valueOf(sender: number): number {
    return this.book.valueOf(this.row, sender);
  }

  weightOf(value: number): number {
    return this.book.weightOf(this.row, value);
  }
}
