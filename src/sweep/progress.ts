// Progress on stderr: cells done, runs per second and the time left. On a terminal one line
// redrawn in place (at most 10 times a second); otherwise a plain line at each tenth of the
// work, so a Slurm log shows progress without a wall of carriage returns.
export interface ProgressOptions {
  write: (text: string) => void;
  tty: boolean;
  totalRuns: number;
  totalCells: number;
  now?: () => number;
}

export class Progress {
  private runs = 0;
  private cells = 0;
  private lastDraw = -Infinity;
  private lastTenth = 0;
  private readonly start: number;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** One run finished; `cellDone` when it was its cell's last. */
  tick(cellDone: boolean): void {
    this.runs += 1;
    if (cellDone) this.cells += 1;
    const t = this.now();
    if (this.o.tty) {
      if (t - this.lastDraw >= 100 || this.runs === this.o.totalRuns) {
        this.lastDraw = t;
        this.o.write(`\r\x1b[2K${this.line(t)}`);
      }
      return;
    }
    const tenth = Math.floor((this.runs * 10) / Math.max(1, this.o.totalRuns));
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.o.write(`${this.line(t)}\n`);
    }
  }

  done(): void {
    if (this.o.tty && this.runs > 0) this.o.write('\n');
  }

  line(t = this.now()): string {
    const secs = Math.max((t - this.start) / 1000, 1e-3);
    const perS = this.runs / secs;
    const left = perS > 0 ? (this.o.totalRuns - this.runs) / perS : 0;
    const width = 20;
    const filled = Math.round((this.runs / Math.max(1, this.o.totalRuns)) * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    return (
      `sweep [${bar}] cells ${this.cells}/${this.o.totalCells}  runs ${this.runs}/${this.o.totalRuns}` +
      `  ${perS.toFixed(1)} runs/s  ETA ${formatEta(left)}`
    );
  }
}

function formatEta(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${Math.ceil(s % 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}
