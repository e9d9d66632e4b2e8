// The replicated bft's vote matrix: a row per replica (what it received), a column per sender,
// each cell the sender's prevote/precommit as that replica got it; then the replica's lock and
// what it committed. An equivocating sender shows different entries down its column; replicas
// that committed different nodes (a FORK) are marked like UNSAFE.
import type { AgentView, BftView } from '../src/store/state.js';
import { agentGlyph } from './agentRow.js';
import { padEnd, type Segment } from './segments.js';

export const GOT_FROM = 'got from';
/** The last two headings, each over a column of node ids (up to 4 wide, as n999). */
export const LOCK_COMMIT = ' lock commit';

/** `Alpha-GPU` -> `Alpha`: the columns need short names. */
export function shortName(name: string): string {
  return name.split(/[-_ ]/)[0]?.slice(0, 7) || name.slice(0, 7);
}

function show(value: string | null | 'lost' | undefined): string {
  if (value === undefined) return '';
  return value === null ? 'nil' : value;
}

/** One cell: prevote/precommit as received; one value when both agree. */
export function cellText(view: BftView, sender: string, receiver: string): string {
  const pre = show(view.prevotes[sender]?.received[receiver]);
  const com = show(view.precommits[sender]?.received[receiver]);
  if (com === '' || com === pre) return pre;
  return `${pre || '-'}/${com}`;
}

/** Senders whose column shows different values to different replicas. */
export function equivocators(view: BftView): Set<string> {
  const out = new Set<string>();
  for (const step of [view.prevotes, view.precommits])
    for (const [sender, vote] of Object.entries(step)) {
      const values = new Set(
        Object.values(vote.received)
          .filter((v) => v !== 'lost')
          .map((v) => v ?? 'nil'),
      );
      if (vote.equivocated || values.size > 1) out.add(sender);
    }
  return out;
}

/**
 * The height's validators: every vote's record names each replica it reached or missed, so an
 * agent named in none sat the height out (jailed before it began). Empty before any vote.
 */
export function validatorsOf(view: BftView): Set<string> {
  const out = new Set<string>();
  for (const step of [view.prevotes, view.precommits])
    for (const vote of Object.values(step))
      for (const id of Object.keys(vote.received)) out.add(id);
  return out;
}

/**
 * `agents` as they stood in the round shown (TallyPane's asAt for a past round), so a row's glyph
 * is its health then: an agent jailed then and released since is ⊘, not today's ●.
 */
export function matrixRows(
  view: BftView,
  agents: readonly AgentView[],
  /** The pane's width: sender names are cut to their column rather than push it. */
  width = Number.POSITIVE_INFINITY,
): Segment[][] | null {
  const ids = agents.map((agent) => agent.id);
  const names = agents.map((agent) => shortName(agent.name));
  // Every column starts where its heading does. "got from" starts a column left of the names,
  // over the glyphs, so names of up to 7 need no wider column for it.
  const nameWidth = Math.max(...names.map((name) => name.length), GOT_FROM.length - 1);
  const widest = Math.max(
    2,
    ...ids.flatMap((sender) => ids.map((receiver) => cellText(view, sender, receiver).length)),
  );
  const longest = Math.max(...names.map((name) => name.length));
  // The widest columns that fit: whole sender names, then five, then the entries alone (names
  // cut to them), so that lock and commit, last, stay on screen. Past that, null: too many
  // senders for a column each (voteSummary.ts counts them instead).
  const fits = (cell: number) =>
    2 + nameWidth + agents.length * (cell + 1) + LOCK_COMMIT.length <= width;
  if (!fits(widest)) return null;
  const cellWidth = [Math.max(longest, widest), Math.max(5, widest)].find(fits) ?? widest;
  const liars = equivocators(view);
  const fork = forked(view);
  const header: Segment[] = [{ text: ` ${padEnd(GOT_FROM, nameWidth + 1)}`, tone: 'muted' }];
  agents.forEach((agent, i) => {
    const text = ` ${padEnd((names[i] ?? '').slice(0, cellWidth), cellWidth)}`;
    header.push(
      liars.has(agent.id)
        ? { text, tone: 'bad', bold: true, inverse: true }
        : { text, tone: 'muted' },
    );
  });
  header.push({ text: LOCK_COMMIT, tone: 'muted' });
  const rows: Segment[][] = [header];
  const validators = validatorsOf(view);
  for (const receiver of agents) {
    const row: Segment[] = [
      { text: `${agentGlyph(receiver)} ${padEnd(shortName(receiver.name), nameWidth)}` },
    ];
    if (validators.size > 0 && !validators.has(receiver.id)) {
      rows.push([...row, notValidator(receiver)]);
      continue;
    }
    for (const sender of agents) {
      const text = cellText(view, sender.id, receiver.id);
      row.push({
        text: ` ${padEnd(text, cellWidth)}`,
        tone: liars.has(sender.id) ? 'bad' : text.startsWith('nil') ? 'muted' : undefined,
      });
    }
    rows.push([...row, ...lockAndCommit(view, receiver.id, fork)]);
  }
  return rows;
}

/** Replicas committed different nodes. */
export function forked(view: BftView): boolean {
  return new Set(Object.values(view.commits)).size > 1;
}

/** An empty row would read as a replica that heard nothing; it was not one this height. */
export function notValidator(receiver: AgentView): Segment {
  const why = receiver.quarantined ? 'jailed: ' : '';
  return { text: ` ${why}not a validator this height`, tone: 'muted' };
}

/** A row's last two entries, under LOCK_COMMIT: what the replica locked and committed. */
export function lockAndCommit(view: BftView, receiver: string, fork: boolean): Segment[] {
  const lock = view.locks[receiver];
  const commit = view.commits[receiver];
  return [
    { text: ` ${padEnd(lock ?? '-', 4)}`, tone: lock ? 'accent' : 'muted' },
    {
      text: ` ${commit ?? '-'}`,
      tone: commit ? (fork ? 'bad' : 'ok') : 'muted',
      bold: commit !== undefined,
    },
  ];
}

/** A line on what the matrix shows that matters: equivocation and forks. */
export function matrixNote(view: BftView, agents: readonly AgentView[]): Segment[] {
  const nameOf = (id: string) => agents.find((a) => a.id === id)?.name ?? id;
  const liars = [...equivocators(view)].map(nameOf);
  const committed = new Set(Object.values(view.commits));
  const notes: Segment[] = [];
  if (committed.size > 1)
    notes.push({
      text: `FORK: replicas committed ${[...committed].join(' and ')}`,
      tone: 'bad',
      bold: true,
      inverse: true,
    });
  if (liars.length > 0)
    notes.push({
      text: `${notes.length > 0 ? '  ' : ''}equivocated: ${liars.join(', ')}`,
      tone: 'bad',
      bold: true,
    });
  return notes;
}
