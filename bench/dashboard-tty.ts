// The fake terminal the dashboard bench renders into: a TTY-like stdout that timestamps every
// frame Ink writes, a TTY-like stdin to type on, and a sink that collects stderr.
import { Readable, Writable } from 'node:stream';

export const COLUMNS = 120;
export const ROWS = 40;

export interface Frame {
  t: number;
  /** The frame as written (load runs); null where only the count matters (the long run). */
  text: string | null;
}

/** A TTY-like stdout that timestamps every frame Ink writes to it. */
export class FakeScreen extends Writable {
  readonly isTTY = true;
  readonly columns = COLUMNS;
  readonly rows = ROWS;
  readonly frames: Frame[] = [];
  frameCount = 0;
  frameBytes = 0;
  lastFrame = '';

  /**
   * notFrames: writes that are not frames (synchronized-update brackets, cursor visibility,
   * entering and leaving the alternate screen); Ink's empty flush at exit is not one either.
   * keepFrames: keep every frame with its text, for the analysis after a run; otherwise only
   * counts and the last frame, so memory stays flat.
   */
  constructor(
    private readonly notFrames: ReadonlySet<string>,
    private readonly keepFrames: boolean,
  ) {
    super({ decodeStrings: false });
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    const t = performance.now();
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    if (text !== '' && !this.notFrames.has(text)) {
      this.frameCount++;
      this.frameBytes += text.length;
      this.lastFrame = text;
      if (this.keepFrames) this.frames.push({ t, text });
    }
    done();
  }
}

/** A TTY-like stdin: Ink reads it on 'readable'; a keypress is a push. */
export class FakeKeyboard extends Readable {
  readonly isTTY = true;

  constructor() {
    super({ read() {} });
  }

  setRawMode(_mode: boolean): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  /** Types `key`; returns when it was written. */
  press(key: string): number {
    const t = performance.now();
    this.push(key);
    return t;
  }
}

export function textSink(): Writable & { text: string } {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}
