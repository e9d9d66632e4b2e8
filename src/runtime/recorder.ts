// --record: one JSON line per event, written with a single synchronous write each, so the file
// is valid JSON Lines up to its last line even if the process is killed mid-run. Streamed
// deltas are left out: each llm_response carries the whole text.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { HybridEvent } from '../core/events.js';

export class Recorder {
  private fd: number | null;

  constructor(
    path: string,
    private readonly scrub: (line: string) => string = (l) => l,
  ) {
    this.fd = openSync(path, 'w', 0o600);
  }

  write(event: HybridEvent): void {
    if (this.fd === null || event.type === 'llm_delta') return;
    writeSync(this.fd, `${this.scrub(JSON.stringify(event))}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
