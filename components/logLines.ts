// Turns log entries into terminal rows. A call is a block (header, prompt, the tail of its
// streamed text) so five parallel streams stay readable; the pane shows a window of rows counted
// back from the newest, computed only as far back as the window needs.
import { oneLine } from '../src/agents/sanitize.js';
import { fmtSeconds } from '../src/store/format.js';
import type { CallEntry, CallStatus, LineEntry, LineTone, LogEntry } from '../src/store/state.js';
import { GLYPH } from './glyphs.js';
import { wrapText, type Segment } from './segments.js';
import type { Tone } from './theme.js';

export interface LogRow {
  key: string;
  segments: Segment[];
}

export interface LogViewOptions {
  width: number;
  showPrompts: boolean;
  /** Streamed text rows per call block; the newest text is kept. */
  responseRows: number;
}

const LINE_STYLE: Record<LineTone, { glyph: string; tone?: Tone; bold?: boolean }> = {
  round: { glyph: GLYPH.round, tone: 'accent', bold: true },
  section: { glyph: GLYPH.section, tone: 'accent', bold: true },
  fault: { glyph: GLYPH.faultInjected, tone: 'bad', bold: true },
  recovered: { glyph: GLYPH.recovered, tone: 'ok' },
  commit: { glyph: GLYPH.committed, tone: 'ok', bold: true },
  unsafe: { glyph: GLYPH.unsafe, tone: 'bad', bold: true },
  fork: { glyph: GLYPH.fork, tone: 'bad', bold: true },
  warn: { glyph: GLYPH.warning, tone: 'warn' },
  info: { glyph: GLYPH.info, tone: 'muted' },
};

// Entries are immutable: one that has not changed since the last frame keeps its object, so its
// rows (cleaned and word-wrapped, the costly part) are reused rather than built again.
const rowCache = new WeakMap<LogEntry, { options: string; rows: LogRow[] }>();

export function entryRows(entry: LogEntry, options: LogViewOptions): LogRow[] {
  const key = `${options.width}|${options.showPrompts ? 1 : 0}|${options.responseRows}`;
  const cached = rowCache.get(entry);
  if (cached?.options === key) return cached.rows;
  const rows = entry.kind === 'call' ? callRows(entry, options) : [lineRow(entry)];
  rowCache.set(entry, { options: key, rows });
  return rows;
}

function lineRow(entry: LineEntry): LogRow {
  const style = LINE_STYLE[entry.tone];
  return {
    key: `${entry.seq}`,
    segments: [
      { text: `${style.glyph} `, tone: style.tone, bold: style.bold },
      { text: oneLine(entry.text), tone: style.tone, bold: style.bold },
    ],
  };
}

function callHeader(entry: CallEntry): Segment[] {
  const segments: Segment[] = [
    { text: entry.name, bold: true },
    { text: `  ${entry.phase.toUpperCase()}`, tone: 'accent' },
    { text: `  r${entry.round}`, tone: 'muted' },
    {
      text: `  ${entry.source}`,
      tone: entry.source === 'llm' ? 'info' : entry.source === 'fallback' ? 'warn' : 'muted',
    },
  ];
  if (entry.latencyMs !== null) segments.push({ text: `  ${fmtSeconds(entry.latencyMs)}` });
  if (entry.status === 'streaming') segments.push({ text: '  ...', tone: 'accent' });
  if (entry.error !== null)
    segments.push({
      text: `  ${oneLine(entry.error)}`,
      tone: entry.status === 'cancelled' ? 'warn' : 'bad',
    });
  return segments;
}

function callRows(entry: CallEntry, options: LogViewOptions): LogRow[] {
  const rows: LogRow[] = [{ key: `${entry.seq}h`, segments: callHeader(entry) }];
  if (options.showPrompts && entry.prompt !== '') {
    rows.push({
      key: `${entry.seq}p`,
      segments: [
        { text: `  ${GLYPH.prompt} `, tone: 'muted' },
        { text: oneLine(entry.prompt.slice(0, 4 * options.width)), tone: 'muted' },
      ],
    });
  }
  if (entry.rejectedRaw !== null && entry.rejectedRaw !== '') {
    rows.push({
      key: `${entry.seq}x`,
      segments: [
        { text: `  ${GLYPH.notUsed} `, tone: 'bad' },
        {
          text: `model said (not used): ${oneLine(entry.rejectedRaw.slice(0, 4 * options.width))}`,
          tone: 'warn',
        },
      ],
    });
  }
  const inner = Math.max(1, options.width - 4);
  // The start of a response carries the answer ({"vote": ...}): it is what stays in view. Only
  // the head can be shown, so only the head is cleaned and wrapped.
  const headLength = inner * (options.responseRows + 1);
  const head = entry.text.length > headLength ? entry.text.slice(0, headLength) : entry.text;
  const wrapped = head === '' ? [''] : wrapText(oneLine(head), inner);
  const shown = wrapped.slice(0, Math.max(1, options.responseRows));
  const cut = shown.length < wrapped.length || head.length < entry.text.length;
  shown.forEach((line, index) => {
    const last = index === shown.length - 1;
    const text =
      last && cut ? `${[...line].slice(0, Math.max(0, inner - 1)).join('')}${GLYPH.cut}` : line;
    rows.push({
      key: `${entry.seq}r${index}`,
      segments: [
        { text: index === 0 ? `  ${GLYPH.response} ` : '    ', tone: 'muted' },
        {
          text: text === '' ? NO_TEXT_YET[entry.status] : text,
          tone: entry.status === 'error' ? 'warn' : undefined,
        },
      ],
    });
  });
  return rows;
}

/** A response with no text yet, in a call's block: still coming, or cut off. */
const NO_TEXT_YET: Record<CallStatus, string> = {
  streaming: '...',
  cancelled: '(no answer)',
  done: '',
  error: '',
};
/** Between a digest's name and its text. */
const DIGEST_MARK: Record<CallStatus, string> = {
  streaming: ' ... ',
  cancelled: ' cancelled < ',
  done: ' < ',
  error: ' < ',
};
/** A digest whose call has no text. */
const NO_TEXT: Record<CallStatus, string> = {
  streaming: '',
  cancelled: '(no answer)',
  done: '(empty)',
  error: '(empty)',
};

/** A one-line digest of an entry, for the compact layout. */
export function entrySummary(entry: LogEntry): Segment[] {
  if (entry.kind === 'line') return lineRow(entry).segments;
  const tail = oneLine(entry.text.slice(-400));
  return [
    { text: `${entry.name} ${entry.phase}`, bold: true },
    {
      text: DIGEST_MARK[entry.status],
      tone: entry.status === 'cancelled' ? 'warn' : 'muted',
    },
    { text: tail || NO_TEXT[entry.status] },
  ];
}

/** Log entries of one past round: seq in [from, to). */
export type SeqRange = readonly [from: number, to: number];

export function matchesFilter(
  entry: LogEntry,
  filter: string | null,
  range: SeqRange | null = null,
): boolean {
  if (range !== null && (entry.seq < range[0] || entry.seq >= range[1])) return false;
  return filter === null || entry.agent === filter;
}

export interface LogWindow {
  rows: LogRow[];
  /** The scroll actually used: a request past the oldest row is clamped to it. */
  scroll: number;
}

export function logWindow(
  entries: readonly LogEntry[],
  filter: string | null,
  options: LogViewOptions & { height: number; scroll: number; range?: SeqRange | null },
): LogWindow {
  const range = options.range ?? null;
  const height = Math.max(0, options.height);
  const want = height + Math.max(0, options.scroll);
  const collected: LogRow[][] = [];
  let count = 0;
  for (let i = entries.length - 1; i >= 0 && count < want; i--) {
    const entry = entries[i];
    if (entry === undefined) continue;
    // Entries are in seq order: past the round's start there is nothing more of it.
    if (range !== null && entry.seq < range[0]) break;
    if (!matchesFilter(entry, filter, range)) continue;
    const rows = entryRows(entry, options);
    collected.push(rows);
    count += rows.length;
  }
  const all = collected.reverse().flat();
  const scroll = Math.min(Math.max(0, options.scroll), Math.max(0, all.length - height));
  const end = all.length - scroll;
  return { rows: all.slice(Math.max(0, end - height), end), scroll };
}
