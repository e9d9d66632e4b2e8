// A batch of events edits the log through one draft: the array is copied once per batch rather
// than once per event, which is what keeps a flush of a thousand token deltas cheap.
import { LOG_LIMIT, TEXT_LIMIT, type CallEntry, type LineTone, type LogEntry } from './state.js';

type NewEntry = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, 'seq'> : never) : never;

/** How far back a delta or response looks for its call; older calls are long finished. */
const CALL_SEARCH_DEPTH = 400;

export class LogDraft {
  private entries: LogEntry[];
  private copied = false;
  private seq: number;

  constructor(
    private readonly original: LogEntry[],
    nextSeq: number,
    private readonly limit = LOG_LIMIT,
  ) {
    this.entries = original;
    this.seq = nextSeq;
  }

  push(entry: NewEntry): void {
    this.writable().push({ ...entry, seq: this.seq++ } as LogEntry);
    // A single huge batch must not balloon past the bound before finish() trims it.
    if (this.entries.length >= this.limit * 2)
      this.entries.splice(0, this.entries.length - this.limit);
  }

  /** The seq the next entry gets. */
  get next(): number {
    return this.seq;
  }

  /** A one-line entry; `agent` is whom it is about, for the log filter (null: the whole run). */
  line(t: number, agent: string | null, tone: LineTone, text: string): void {
    this.push({ kind: 'line', t, agent, tone, text });
  }

  findCall(callId: string): number {
    const stop = Math.max(0, this.entries.length - CALL_SEARCH_DEPTH);
    for (let i = this.entries.length - 1; i >= stop; i--) {
      const entry = this.entries[i];
      if (entry?.kind === 'call' && entry.callId === callId) return i;
    }
    return -1;
  }

  updateCall(index: number, update: (entry: CallEntry) => CallEntry): void {
    const entry = this.entries[index];
    if (entry?.kind !== 'call') return;
    this.writable()[index] = update(entry);
  }

  appendText(index: number, text: string): void {
    this.updateCall(index, (entry) =>
      entry.text.length >= TEXT_LIMIT ? entry : { ...entry, text: capText(entry.text + text) },
    );
  }

  finish(): { log: LogEntry[]; nextSeq: number } {
    if (!this.copied) return { log: this.original, nextSeq: this.seq };
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return { log: this.entries, nextSeq: this.seq };
  }

  private writable(): LogEntry[] {
    if (!this.copied) {
      this.entries = this.original.slice();
      this.copied = true;
    }
    return this.entries;
  }
}

export function capText(text: string, limit = TEXT_LIMIT): string {
  return text.length > limit ? text.slice(0, limit) : text;
}
