// The README quotes docs/sweep-paper and docs/sweep-quorum. A change to the engine that moves
// their figures must regenerate them (`hybrid-tui sweep --preset paper --out docs/sweep-paper
// --force`, and the same for `quorum`), or the README would cite numbers the code no longer gives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../cli/helpers.js';

const DOCS = join(import.meta.dirname, '../../docs');

// The paper preset runs 960 runs of 600 heights: about 17 s on 2 idle cores, more beside the
// other test files.
const TIMEOUT_MS = 180_000;

describe.each(['paper', 'quorum'])('docs/sweep-%s', (preset) => {
  it(
    'is what a fresh run of the preset gives, byte for byte',
    () => {
      const out = join(tempDir(), preset);
      const r = runCli(['sweep', '--preset', preset, '--quiet', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      for (const file of ['cells.csv', 'runs.csv', 'cells.md'])
        expect(
          readFileSync(join(out, file), 'utf8') ===
            readFileSync(join(DOCS, `sweep-${preset}`, file), 'utf8'),
          `docs/sweep-${preset}/${file} is stale: regenerate it with hybrid-tui sweep --preset ${preset} --out docs/sweep-${preset} --force`,
        ).toBe(true);
    },
    TIMEOUT_MS,
  );
});
