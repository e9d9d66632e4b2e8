// The summary's figures as the quit report and the headless narrative word them.
import type { SummaryEvent } from '../core/events.js';

/** "; no answer: 5 cut off when the run stopped", when some calls got none (older runs: nothing). */
export function unansweredText(summary: SummaryEvent): string {
  const text = noAnswerText(summary);
  return text === '' ? '' : `; ${text}`;
}

/** "no answer: 17 cancelled by the core, 5 cut off when the run stopped", or '' when none. */
export function noAnswerText(summary: SummaryEvent): string {
  const u = summary.unanswered;
  if (!u) return '';
  const parts = [
    ...(u.cancelled > 0 ? [`${u.cancelled} cancelled by the core`] : []),
    ...(u.cut_off > 0 ? [`${u.cut_off} cut off when the run stopped`] : []),
  ];
  return parts.length > 0 ? `no answer: ${parts.join(', ')}` : '';
}

/** Rounds started but neither committed nor ended without a decision: the one a stop cut short. */
export function unfinished(summary: SummaryEvent): number {
  return Math.max(0, summary.rounds - summary.committed - summary.no_decision);
}
