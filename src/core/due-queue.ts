// A binary min-heap of due items ordered by (time, insertion order), so equal times keep the
// order they were scheduled in: this is what makes a --speed max run (and a bft height) reproducible.

export interface Due<T> {
  at: number;
  seq: number;
  item: T;
}

export class DueQueue<T> {
  private readonly heap: Due<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, item: T): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, item });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peek(): Due<T> | undefined {
    return this.heap[0];
  }

  pop(): Due<T> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a] as Due<T>;
    const y = this.heap[b] as Due<T>;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    // Not a destructuring swap: that allocates an array per call, and a queue swaps on every push
    // and pop (about 8 KB a bft height).
    const h = this.heap;
    const x = h[a] as Due<T>;
    h[a] = h[b] as Due<T>;
    h[b] = x;
  }
}
