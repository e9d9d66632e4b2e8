import { describe, expect, it } from 'vitest';
import { quitReport } from '../../src/cli/quit-report.js';
import type { SummaryEvent } from '../../src/core/events.js';
import { config } from '../core/helpers.js';

const summary: SummaryEvent = {
  type: 'summary',
  t: 1,
  rounds: 6,
  committed: 5,
  invalid_commits: 1,
  no_decision: 1,
  calls: { llm: 3, fallback: 1, offline: 26 },
  latency_ms: { p50: 1, p95: 2 },
  detection: { precision: null, recall: null, true_positives: 0, flagged: 0, corrupted: 0 },
  forks: 0,
  mean_regret: null,
  best_node_rate: null,
  liveness: 1,
  jailed: 0,
};

describe('the report on quitting', () => {
  const prepared = {
    cfg: config({ seed: 9 }),
    calls: { mode: 'offline' as const },
    recording: null,
  };

  it('gives seed, rounds, commits, unsafe, forks, regret and calls by source', () => {
    const text = quitReport(summary, prepared as never, { record: null, replay: null }, [
      '--offline',
      '--seed',
      '4',
      '--speed',
      'max',
    ]);
    expect(text).toContain('seed 9  scenario tour  rounds 6\n');
    expect(text).toContain(
      'committed 5  unsafe 1  no decision 1\n  forks 0  mean regret not measured\n',
    );
    expect(text).toContain('calls by source: llm 3, fallback 1, offline 26');
    expect(text).toContain('run it again: hybrid-tui --offline --speed max --seed 9');
  });

  it('counts the round a quit cut short as unfinished', () => {
    const text = quitReport(
      { ...summary, rounds: 5, committed: 1, no_decision: 3 },
      prepared as never,
      { record: null, replay: null },
    );
    // "rounds 5" beside 1 committed and 3 without a decision left one unaccounted for.
    expect(text).toContain('committed 1  unsafe 1  no decision 3  unfinished 1\n');
    expect(quitReport(summary, prepared as never, { record: null, replay: null })).not.toContain(
      'unfinished',
    );
  });

  it('reads forks and regret when the run reports them, and points at a recording', () => {
    const text = quitReport(
      { ...summary, forks: 2, mean_regret: 0.125 } as SummaryEvent,
      prepared as never,
      { record: 'run.jsonl', replay: null },
    );
    expect(text).toContain('forks 2');
    expect(text).toContain('mean regret 0.125');
    expect(text).toContain('replay it: hybrid-tui --replay run.jsonl');
  });

  it('keeps every line but the command within 80 columns, up to ten million of each', () => {
    const big = 9_999_999;
    const text = quitReport(
      {
        ...summary,
        rounds: big,
        committed: big,
        invalid_commits: big,
        no_decision: big,
        calls: { llm: big, fallback: big, offline: big },
        unanswered: { cancelled: big, cut_off: big },
        forks: big,
        mean_regret: 0.123,
      } as SummaryEvent,
      { ...prepared, calls: { mode: 'llm' as const } } as never,
      { record: null, replay: null },
    );
    expect(text).toContain(
      `no answer: ${big} cancelled by the core, ${big} cut off when the run stopped`,
    );
    const long = text.split('\n').filter((line) => line.length > 80);
    // A mean regret of 0.000 was cut by the terminal as "0." and "000" at 100 columns.
    expect(long.every((line) => line.startsWith('  run it again:'))).toBe(true);
  });

  it('quotes what a shell would split, and drops control characters', () => {
    const text = quitReport(summary, prepared as never, { record: null, replay: null }, [
      '--scenario',
      "my file's \u001b[31mname.json",
    ]);
    expect(text).toContain(`--scenario 'my file'\\''s name.json' --seed 9`);
    expect(text).not.toContain('\u001b');
  });
});
