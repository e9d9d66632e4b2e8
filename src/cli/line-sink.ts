// Headless output (--json and the narrative) in batches: lines are gathered and written with one
// write per batch of events (a batch ends when the runtime yields, or at MAX_BUFFER), because a
// syscall per event cost most of a round. Every write error is kept and reported; EPIPE (the
// reader went away, `| head`) is told apart so the caller can stop quietly.
//
// A pipe says nothing when its reader leaves until it is written to, and a run waiting on a model
// may not write for half a minute. So the newline that ends a batch is held back and written on
// its own a moment later: that small write is what finds out the reader is gone.

export interface SinkTarget {
  write(chunk: string, callback: (err?: Error | null) => void): unknown;
}

export interface LineSinkOptions {
  /** Called once, on the first failed write. */
  onError: (err: NodeJS.ErrnoException) => void;
  /** Bytes gathered before a write is forced within a batch. */
  maxBuffer?: number;
  /** How long the batch's last newline waits before it is written alone. */
  probeMs?: number;
}

const MAX_BUFFER = 1 << 20;
const PROBE_MS = 100;

export class LineSink {
  private parts: string[] = [];
  private size = 0;
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

  line(text: string): void {
    if (this.error || this.closed) return;
    this.parts.push(text);
    this.size += text.length + 1;
    if (this.size >= (this.options.maxBuffer ?? MAX_BUFFER)) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      // After the synchronous run of events that is going on now: one write for all of them.
      queueMicrotask(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes what is gathered, all but its final newline. */
  flush(): void {
    if (this.parts.length === 0 || this.error) return;
    const text = `${this.heldNewline ? '\n' : ''}${this.parts.join('\n')}`;
    this.parts = [];
    this.size = 0;
    this.heldNewline = true;
    this.send(text);
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

  private releaseNewline(): void {
    if (!this.heldNewline || this.error) return;
    this.heldNewline = false;
    this.send('\n');
  }

  private send(text: string): void {
    this.pending++;
    try {
      this.target.write(text, (err) => this.done(err ?? null));
    } catch (err) {
      this.done(err as Error);
    }
  }

  private done(err: Error | null): void {
    this.pending--;
    if (err && !this.error) {
      this.error = err as NodeJS.ErrnoException;
      this.parts = [];
      this.options.onError(this.error);
    }
    if (this.pending === 0 && this.drained) this.drained();
  }
}
