// How a run ends when something other than the scenario ends it: a signal, a write that failed,
// a replay that does not match its recording. The first reason wins; the run is stopped at once,
// and the reason is told as one line on stderr with its exit code.

export class Outcome {
  code = 0;
  /** One line for stderr, or null when there is nothing to say. */
  message: string | null = null;
  private stopRun: () => void = () => {};

  /** What stopping the run means (set once the runtime exists). */
  onStop(stop: () => void): void {
    this.stopRun = stop;
  }

  /** Ends the run with this code and line, unless an earlier reason already did. */
  fail(code: number, message: string | null): void {
    this.note(code, message);
    this.stopRun();
  }

  /** Sets the code and line the run will end with, and lets it go on. */
  note(code: number, message: string | null): void {
    if (this.code === 0 && this.message === null) {
      this.code = code;
      this.message = message;
    }
  }
}

export const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
