// A binary min-heap of due items ordered by (time, insertion order), so equal times keep the
// order they were scheduled in: this is what makes a --speed max run (and a bft height) reproducible.
// The order is total (no two items share an insertion number), so items come out in the same
// order whatever the heap's layout.
//
// Times, insertion numbers and items are kept in three parallel arrays, and a push or pop moves
// a hole along its path instead of swapping: no object per item, and a comparison reads two
// numbers instead of two objects' fields. A bft height pushes and pops a queue item per delay
// group of every broadcast (about 40 at 5 agents, 1,500 at 100).

export class DueQueue<T> {
  private readonly ats: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** When the next item is due; Infinity when there is none. */
  nextAt(): number {
    return this.items.length > 0 ? (this.ats[0] ?? Infinity) : Infinity;
  }

  push(at: number, item: T): void {
    const { ats, seqs, items } = this;
    const seq = this.seq++;
    let i = items.length;
    // Grown by one here, then filled from the hole's final place down.
    ats.push(at);
    seqs.push(seq);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pa = ats[parent] ?? 0;
      // The new item's insertion number is the highest yet: at a tie it stays below.
      if (pa <= at) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, at, seq, item);
  }

  /** Takes the earliest item out (read nextAt() first for its time); undefined when empty. */
  pop(): T | undefined {
    const { ats, seqs, items } = this;
    if (items.length === 0) return undefined;
    const top = items[0];
    const at = ats.pop() ?? 0;
    const seq = seqs.pop() ?? 0;
    const last = items.pop() as T;
    const n = items.length;
    if (n === 0) return top;
    // The last item goes where the top was, sifted down through the hole.
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const ca = ats[child] ?? 0;
        const ra = ats[right] ?? 0;
        if (ra < ca || (ra === ca && (seqs[right] ?? 0) < (seqs[child] ?? 0))) child = right;
      }
      const ca = ats[child] ?? 0;
      if (at < ca || (at === ca && seq < (seqs[child] ?? 0))) break;
      this.move(child, i);
      i = child;
    }
    this.put(i, at, seq, last);
    return top;
  }

  /** The item at `from` moves into the hole at `to`. */
  private move(from: number, to: number): void {
    this.put(to, this.ats[from] ?? 0, this.seqs[from] ?? 0, this.items[from] as T);
  }

  private put(i: number, at: number, seq: number, item: T): void {
    this.ats[i] = at;
    this.seqs[i] = seq;
    this.items[i] = item;
  }
}
