// Reads a file line by line, synchronously, holding one chunk and one line at a time: a
// recording may be far larger than a string can be (V8 strings stop at 512 MB), and a replay asks
// for the next answers from inside the runtime's loop, where nothing can be awaited.
import { closeSync, openSync, readSync } from 'node:fs';

export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
  constructor(
    readonly lineNumber: number,
    readonly maxBytes: number,
  ) {
    super(`line ${lineNumber} is longer than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  }
}

export interface Line {
  text: string;
  number: number;
  /** False for a last line the file does not end with a newline (a write cut short). */
  terminated: boolean;
}

export class LineReader {
  private fd: number | null;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private eof = false;
  private lineNumber = 0;

  constructor(
    path: string,
    private readonly maxLineBytes: number,
    private readonly chunkBytes = 1 << 20,
  ) {
    this.fd = openSync(path, 'r');
  }

  /** The next line, or null at the end of the file. */
  next(): Line | null {
    for (;;) {
      const nl = this.buf.indexOf(0x0a, this.pos);
      if (nl !== -1) {
        this.checkLength(nl - this.pos);
        const text = this.buf.toString('utf8', this.pos, nl);
        this.pos = nl + 1;
        return { text, number: ++this.lineNumber, terminated: true };
      }
      this.checkLength(this.buf.length - this.pos);
      if (this.eof) {
        if (this.pos >= this.buf.length) return null;
        const text = this.buf.toString('utf8', this.pos);
        this.pos = this.buf.length;
        return { text, number: ++this.lineNumber, terminated: false };
      }
      this.fill();
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.eof = true;
  }

  private checkLength(bytes: number): void {
    if (bytes > this.maxLineBytes)
      throw new LineTooLongError(this.lineNumber + 1, this.maxLineBytes);
  }

  private fill(): void {
    if (this.fd === null) {
      this.eof = true;
      return;
    }
    const chunk = Buffer.allocUnsafe(this.chunkBytes);
    const n = readSync(this.fd, chunk, 0, chunk.length, null);
    if (n === 0) {
      this.close();
      return;
    }
    // Only the unfinished line is kept from the old buffer.
    this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk.subarray(0, n)]);
    this.pos = 0;
  }
}
