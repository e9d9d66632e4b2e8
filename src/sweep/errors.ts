// A sweep's user errors (spec, flags, outputs, shards): exit code 2 with their one line. In a file
// of its own so the CLI can recognise them without loading the sweep. Messages quote what the
// user's files hold (an unknown key, a value), so they are folded to one line without controls.
import { oneLine } from '../agents/sanitize.js';

export class SweepError extends Error {
  override name = 'SweepError';

  constructor(message: string) {
    super(oneLine(message));
  }
}
