// A sweep's user errors (spec, flags, outputs, shards): exit code 2 with their one line. In a file
// of its own so the CLI can recognise them without loading the sweep.
export class SweepError extends Error {
  override name = 'SweepError';
}
