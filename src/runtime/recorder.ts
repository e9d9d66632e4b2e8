// --record: one JSON line per event, each written whole by synchronous writes, so the file is
// valid JSON Lines up to its last line even if the process is killed mid-run. A failed write
// (a full disk) cuts the file back to its last whole line and stops the recording; the caller
// hears of it once. Streamed deltas are left out: each llm_response carries the whole text.
import { closeSync, fchmodSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { HybridEvent } from '../core/events.js';
import { jsonLine } from './json-line.js';

export interface RecorderOptions {
  /** Replace an existing file (otherwise opening it fails with EEXIST). */
  force?: boolean;
  /** Redacts secrets from a line before it is written. */
  scrub?: (line: string) => string;
  /** Called once, when a write fails; the recorder is closed by then. */
  onError?: (err: NodeJS.ErrnoException) => void;
  /** Stands in for fs.writeSync (tests). */
  writeSync?: (fd: number, buffer: Buffer, offset: number) => number;
}

export class Recorder {
  private fd: number | null;
  /** Bytes of whole lines written: where the file is cut back to when a write fails. */
  private bytes = 0;
  private readonly scrub: (line: string) => string;
  private readonly writeBytes: (fd: number, buffer: Buffer, offset: number) => number;

  constructor(
    readonly path: string,
    private readonly options: RecorderOptions = {},
  ) {
    this.scrub = options.scrub ?? ((l) => l);
    this.writeBytes = options.writeSync ?? ((fd, buf, off) => writeSync(fd, buf, off));
    // 'wx' never replaces a file; with --force the file is replaced, and made private like a new
    // one (an existing file would otherwise keep its old mode).
    this.fd = openSync(path, options.force ? 'w' : 'wx', 0o600);
    try {
      if (options.force && fstatSync(this.fd).isFile()) fchmodSync(this.fd, 0o600);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  write(event: HybridEvent): void {
    if (this.fd === null || event.type === 'llm_delta') return;
    const buf = Buffer.from(`${this.scrub(jsonLine(event))}\n`);
    try {
      for (let off = 0; off < buf.length;) off += this.writeBytes(this.fd, buf, off);
      this.bytes += buf.length;
    } catch (err) {
      try {
        ftruncateSync(this.fd, this.bytes);
      } catch {
        // Not a regular file (a device): nothing to cut back.
      }
      this.close();
      this.options.onError?.(err as NodeJS.ErrnoException);
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
