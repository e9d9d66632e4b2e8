// What the dashboard leaves on the main screen when the user quits: the run in a few figures,
// and the command line that shows it again.
import { stripControl } from '../agents/sanitize.js';
import type { DecisionEvent, SummaryEvent } from '../core/events.js';
import type { Recording } from '../runtime/replay.js';
import type { ReplayEnd } from '../store/watchers.js';
import type { CliOptions } from './args.js';
import { noAnswerText, unfinished } from './summary-text.js';
import type { PreparedRun } from './build-run.js';

/** Fields the replicated bft's summary adds (issue 7's interface); absent on older runs. */
type SummaryExtras = Partial<{ forks: number; mean_regret: number | null }>;

export function replayEnd(recording: Recording, complete: boolean): ReplayEnd {
  const rounds = recording.decisions
    .filter((e): e is DecisionEvent => e.type === 'decision')
    .map((e) => e.round);
  return { lastRound: rounds.length > 0 ? Math.max(...rounds) : 0, complete };
}

export function quitReport(
  summary: SummaryEvent | null,
  prepared: Pick<PreparedRun, 'cfg' | 'calls' | 'recording'>,
  opts: Pick<CliOptions, 'record' | 'replay'>,
  argv: readonly string[] = [],
): string {
  const { cfg } = prepared;
  const lines = ['hybrid-tui: run summary'];
  if (summary === null) {
    lines.push('  the run ended before any summary was made');
  } else {
    const extras = summary as SummaryEvent & SummaryExtras;
    const regret =
      extras.mean_regret === undefined || extras.mean_regret === null
        ? 'not measured'
        : extras.mean_regret.toFixed(3);
    // Short lines: the report is printed on the main screen, where a terminal would wrap a long
    // one wherever its width falls ("mean regret 0." on one line, "000" on the next).
    const noAnswer = noAnswerText(summary);
    const open = unfinished(summary);
    lines.push(
      `  seed ${cfg.seed}  scenario ${cfg.scenario.name}  rounds ${summary.rounds}`,
      `  committed ${summary.committed}  unsafe ${summary.invalid_commits}  no decision ${summary.no_decision}${open > 0 ? `  unfinished ${open}` : ''}`,
      `  forks ${extras.forks ?? 0}  mean regret ${regret}`,
      `  calls by source: llm ${summary.calls.llm}, fallback ${summary.calls.fallback}, offline ${summary.calls.offline}`,
      ...(noAnswer === '' ? [] : [`  ${noAnswer}`]),
    );
  }
  if (opts.replay !== null) {
    lines.push(`  replay it again: hybrid-tui --replay ${opts.replay}`);
  } else if (opts.record !== null) {
    lines.push(`  replay it: hybrid-tui --replay ${opts.record}`);
  } else {
    const again = ['hybrid-tui', ...withoutSeed(argv), '--seed', String(cfg.seed)]
      .map(shellWord)
      .join(' ');
    lines.push(
      `  run it again: ${again}`,
      prepared.calls.mode === 'offline'
        ? '    (add --record FILE to keep it, then --replay FILE)'
        : '    (a model may answer otherwise: --record FILE, then --replay FILE, is exact)',
    );
  }
  return lines.join('\n');
}

/** The arguments as given, minus any seed (the report names the seed the run used). */
function withoutSeed(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--seed') i++;
    else if (!arg.startsWith('--seed=')) out.push(stripControl(arg));
  }
  return out;
}

/** Quoted for a POSIX shell when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
