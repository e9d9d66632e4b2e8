// The summary's figures as the quit report and the headless narrative word them.
import type { SummaryEvent } from '../core/events.js';

/** "; no answer: 5 cut off by the stop" when some calls got none (older recordings say nothing). */
export function unansweredText(summary: SummaryEvent): string {
  const u = summary.unanswered;
  if (!u) return '';
  const parts = [
    ...(u.cancelled > 0 ? [`${u.cancelled} cancelled by the core`] : []),
    ...(u.cut_off > 0 ? [`${u.cut_off} cut off by the stop`] : []),
  ];
  return parts.length > 0 ? `; no answer: ${parts.join(', ')}` : '';
}
