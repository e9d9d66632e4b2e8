// Headless output (--json and the narrative) in batches: lines are gathered as bytes and written
// with one write per batch of events (a batch ends when the runtime yields, or at FLUSH_BYTES),
// because a syscall per event cost most of a round. Every write error is kept and reported;
// EPIPE (the reader went away, `| head`) is told apart so the caller can stop quietly.
//
// A pipe says nothing when its reader leaves until it is written to, and a run waiting on a model
// may not write for half a minute. So the newline that ends a batch is held back and written on
// its own a moment later: that small write is what finds out the reader is gone.
import type { ByteSpace } from '../runtime/json-bytes.js';

export interface SinkTarget {
  write(chunk: Uint8Array | string, callback: (err?: Error | null) => void): unknown;
}

export interface LineSinkOptions {
  /** Called once, on the first failed write. */
  onError: (err: NodeJS.ErrnoException) => void;
  /** Bytes gathered before a write is forced within a batch. */
  flushBytes?: number;
  /** How long the batch's last newline waits before it is written alone. */
  probeMs?: number;
  /** Rewrites each batch of whole lines before it is written (--json: escapeUnsafeBytes). */
  transform?: (batch: Buffer) => Buffer;
}

const FLUSH_BYTES = 1 << 20;
const PROBE_MS = 100;
const NEWLINE = 0x0a;

// Byte 0 of the buffer is kept for the newline held back from the batch before, so a batch goes
// out as a view of the buffer it was gathered in, not as a copy.
const START = 1;
const BUFFER_BYTES = FLUSH_BYTES + 64 * 1024;

export class LineSink implements ByteSpace {
  /** Lines gathered since the last batch, from START to len (writeJsonBytes writes here too). */
  buf: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  len = START;
  /** Buffers whose batch has been written, ready for more lines. */
  private readonly spare: Buffer[] = [];
  private scheduled = false;
  private heldNewline = false;
  private probe: ReturnType<typeof setTimeout> | null = null;
  private pending = 0;
  private drained: (() => void) | null = null;
  private closed = false;
  error: NodeJS.ErrnoException | null = null;

  constructor(
    private readonly target: SinkTarget,
    private readonly options: LineSinkOptions,
  ) {}

  /** A whole line. */
  line(text: string): void {
    this.text(text);
    this.endLine();
  }

  /** False once a write has failed or the sink is closed: what comes after is dropped. */
  get open(): boolean {
    return !this.error && !this.closed;
  }

  /** Part of a line. */
  text(text: string): void {
    if (this.error || this.closed) return;
    this.reserve(text.length * 3);
    this.len += this.buf.write(text, this.len);
  }

  endLine(): void {
    if (this.error || this.closed) return;
    this.reserve(1);
    this.buf[this.len++] = NEWLINE;
    if (this.len >= (this.options.flushBytes ?? FLUSH_BYTES)) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      // After the synchronous run of events that is going on now: one write for all of them.
      queueMicrotask(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes the whole lines gathered, all but their final newline. */
  flush(): void {
    if (this.len === START || this.error) return;
    const end = this.buf.lastIndexOf(NEWLINE, this.len - 1);
    if (end < START) return;
    // The batch is handed over as it is (a write may still be reading it when the next lines
    // come), and the lines after it go into a new buffer.
    const gathered = this.buf;
    let from = START;
    if (this.heldNewline) gathered[(from = START - 1)] = NEWLINE;
    const out = gathered.subarray(from, end);
    const rest = this.len - (end + 1);
    this.buf =
      (rest <= BUFFER_BYTES - START && this.spare.pop()) ||
      Buffer.allocUnsafe(Math.max(BUFFER_BYTES, rest + START));
    // A part-line after the last newline (only between text() and endLine()) stays.
    gathered.copy(this.buf, START, end + 1, this.len);
    this.len = START + this.len - (end + 1);
    this.heldNewline = true;
    this.send(this.options.transform ? this.options.transform(out) : out, gathered);
    this.probe ??= setTimeout(() => {
      this.probe = null;
      this.releaseNewline();
    }, this.options.probeMs ?? PROBE_MS);
    this.probe.unref?.();
  }

  /** Writes everything, and resolves once the last write is done (or has failed). */
  close(): Promise<NodeJS.ErrnoException | null> {
    this.flush();
    this.releaseNewline();
    this.closed = true;
    if (this.probe) clearTimeout(this.probe);
    this.probe = null;
    if (this.pending === 0) return Promise.resolve(this.error);
    return new Promise((resolve) => (this.drained = () => resolve(this.error)));
  }

  reserve(bytes: number): void {
    if (this.len + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + bytes));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  private releaseNewline(): void {
    if (!this.heldNewline || this.error) return;
    this.heldNewline = false;
    this.send('\n');
  }

  /** `from`: the buffer the chunk is a view of, reused once the write is done with it. */
  private send(chunk: Uint8Array | string, from?: Buffer): void {
    this.pending++;
    const done = (err: Error | null) => {
      if (from && from.length === BUFFER_BYTES && this.spare.length < 2) this.spare.push(from);
      this.done(err);
    };
    try {
      this.target.write(chunk, (err) => done(err ?? null));
    } catch (err) {
      done(err as Error);
    }
  }

  private done(err: Error | null): void {
    this.pending--;
    if (err && !this.error) {
      this.error = err as NodeJS.ErrnoException;
      this.len = START;
      this.options.onError(this.error);
    }
    if (this.pending === 0 && this.drained) this.drained();
  }
}
