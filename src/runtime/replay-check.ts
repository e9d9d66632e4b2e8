// A replay recomputes every decision from the recorded answers; each must equal the recorded
// one. A difference means the recording was altered (or made by another version of the core):
// it is reported, never replayed silently.
import { isDeepStrictEqual } from 'node:util';
import { oneLine } from '../agents/sanitize.js';
import type { DecisionEvent, HybridEvent } from '../core/events.js';
import { plural } from '../core/plural.js';
import type { Recording } from './replay.js';

export class ReplayCheck {
  private index = 0;
  mismatch: string | null = null;

  constructor(
    private readonly rec: Recording,
    /** Called once, at the first difference, with one line and the round it is in. */
    private readonly onMismatch: (message: string, round: number) => void,
  ) {}

  on(e: HybridEvent): void {
    if (e.type !== 'decision' || this.mismatch !== null) return;
    const recorded = this.rec.decisions[this.index];
    // A recording cut short (no summary) may lack what came at its last moment and after: the
    // replay runs on to the end of that moment, and the check ends where the recording does.
    if (!recorded && !this.rec.complete && e.t >= this.rec.lastT) return;
    this.index++;
    // Through JSON, as the recorded one came: no undefined fields, same numbers.
    const replayed = JSON.parse(JSON.stringify(e)) as DecisionEvent;
    if (!recorded) this.report(e.round, `round ${e.round}: a decision the recording does not have`);
    else if (!isDeepStrictEqual(recorded, replayed))
      this.report(e.round, `round ${e.round}: ${difference(recorded, replayed)}`);
  }

  /**
   * After the replay: one that ran to its end must have reached every recorded decision. One cut
   * short (quit, a signal, a reader that went away) reached only some, and says nothing of the
   * recording.
   */
  end(ranToEnd: boolean): void {
    if (ranToEnd && this.mismatch === null && this.index < this.rec.decisions.length)
      this.report(
        this.index + 1,
        `the recording has ${plural(this.rec.decisions.length, 'decision')}, the replay reached ${this.index}`,
      );
  }

  private report(round: number, detail: string): void {
    this.mismatch = `${this.rec.file}: the replay does not match the recording (${detail}): it was altered, or made by another version`;
    this.onMismatch(this.mismatch, round);
  }
}

/** What differs: the outcomes when they do, else the fields that do (the same node at another time). */
function difference(recorded: DecisionEvent, replayed: DecisionEvent): string {
  const a = describe(recorded);
  const b = describe(replayed);
  if (a !== b) return `recorded ${a}, replayed ${b}`;
  const fields = new Set([...Object.keys(recorded), ...Object.keys(replayed)]);
  const show = (v: unknown) => oneLine(JSON.stringify(v) ?? 'nothing', 40);
  const differ = [...fields]
    .filter((k) => !isDeepStrictEqual(field(recorded, k), field(replayed, k)))
    .slice(0, 3)
    .map(
      (k) =>
        `${oneLine(k, 30)} recorded ${show(field(recorded, k))}, replayed ${show(field(replayed, k))}`,
    );
  return `both ${a}, but ${differ.join('; ')}`;
}

function field(d: DecisionEvent, key: string): unknown {
  return (d as unknown as Record<string, unknown>)[key];
}

function describe(d: DecisionEvent): string {
  const node = d.node_id === null ? '' : ` ${oneLine(String(d.node_id), 40)}`;
  return `${oneLine(String(d.outcome), 20)}${node} at ${d.accept_weight}/${d.total_weight}`;
}
