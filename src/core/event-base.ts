// What every event carries.

export interface Base {
  /** Simulated time in milliseconds since the run started. */
  t: number;
}
