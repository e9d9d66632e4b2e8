// One agent as a row of segments; pure, so a pane can window and test rows without rendering.
import { fmtAgentWeight } from '../src/store/format.js';
import type { AgentStatus, AgentView } from '../src/store/state.js';
import { meter, secondsLeft, sparkline } from './bars.js';
import { GLYPH } from './glyphs.js';
import { padEnd, padStart, type Segment } from './segments.js';
import type { Tone } from './theme.js';

export const STATUS_GLYPH: Record<AgentStatus, string> = {
  healthy: GLYPH.healthy,
  byzantine: GLYPH.byzantine,
  crash: GLYPH.crashed,
  slow: GLYPH.slow,
  partition: GLYPH.partitioned,
};

/** The status glyph, with jail/quarantine shown over a healthy agent's dot. */
export function agentGlyph(agent: AgentView): string {
  return agent.status === 'healthy' && agent.quarantined
    ? GLYPH.jailed
    : STATUS_GLYPH[agent.status];
}

const STATUS_TONE: Record<AgentStatus, Tone> = {
  healthy: 'ok',
  byzantine: 'bad',
  crash: 'bad',
  slow: 'warn',
  partition: 'warn',
};

// The frames of cli-spinners' "dots". Driven by the store's clock rather than a timer per agent:
// five spinner timers meant five extra renders every 80 ms on top of the streams' own.
const DOTS = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function thinkingGlyph(now: number): string {
  return DOTS[Math.floor(now / 80) % DOTS.length] ?? DOTS[0]!;
}

export interface RowColumns {
  name: number;
  specialty: number;
  /** The weight column: 3 ("1.0") unless a weight needs more ("1.25"). */
  weight: number;
  /** The width of the model tag column: 0 when every agent asks the same model at the same place. */
  model?: number;
  /** Whether the tag names the host: only when the agents are on more than one. */
  hosts?: boolean;
}

const MODEL_COLUMN_MAX = 22;

export function rowColumns(agents: readonly AgentView[]): RowColumns {
  const longest = (pick: (agent: AgentView) => string) =>
    agents.reduce((max, agent) => Math.max(max, [...pick(agent)].length), 0);
  return {
    name: Math.min(
      16,
      longest((agent) => agent.name),
    ),
    specialty: Math.min(
      9,
      longest((agent) => agent.specialty),
    ),
    weight: weightColumn(agents),
    ...modelColumn(agents),
  };
}

/** The width of the agents' weights as fmtAgentWeight writes them: at least 3 ("1.0"). */
export function weightColumn(agents: readonly AgentView[]): number {
  return agents.reduce((max, agent) => Math.max(max, fmtAgentWeight(agent.weight).length), 3);
}

export function agentRow(
  agent: AgentView,
  options: { selected: boolean; now: number; columns: RowColumns; compact?: boolean },
): Segment[] {
  const { selected, now, columns } = options;
  const tone = STATUS_TONE[agent.status];
  const segments: Segment[] = [
    { text: selected ? GLYPH.selected : ' ', bold: true, tone: 'accent' },
    { text: agentGlyph(agent), tone: agent.quarantined ? 'bad' : tone },
    { text: agent.thinkingCallId !== null ? thinkingGlyph(now) : ' ', tone: 'info' },
    { text: padEnd(agent.name, columns.name), inverse: selected, bold: selected },
    { text: ` ${padEnd(agent.specialty, columns.specialty)}`, tone: 'muted' },
    { text: ` ${padStart(fmtAgentWeight(agent.weight), columns.weight)}` },
  ];
  // Right after the weight: on a narrow pane the end of the row is what gets cut.
  if (columns.model) {
    const tag = modelTag(agent, columns.hosts) ?? '';
    segments.push({ text: ` ${padEnd(clip(tag, columns.model), columns.model)}`, tone: 'info' });
  }
  // Before the fault: jailed is why its proposals are refused, and it must survive the cut.
  if (agent.quarantined) segments.push({ text: ' jailed', tone: 'bad', bold: true });
  if (agent.fault !== null) {
    const left = Math.max(0, agent.fault.recoverAt - now);
    const fraction = agent.fault.durationMs > 0 ? left / agent.fault.durationMs : 0;
    segments.push(
      { text: ` ${padEnd(agent.fault.kind, 9)}`, tone, bold: true },
      // The seconds before the bar: on a narrow pane the number is what must survive the cut.
      { text: ` ${padStart(String(secondsLeft(agent.fault.recoverAt, now)), 2)} s`, tone },
      { text: ` ${meter(fraction, options.compact ? 5 : 8)}`, tone, whole: true },
    );
  }
  // Reputation belongs to recordings made before jailing replaced quarantine: shown only there.
  if (agent.reputation !== 1)
    segments.push({
      text: `  rep ${agent.reputation.toFixed(2)}`,
      tone: agent.reputation < 0.5 ? 'warn' : undefined,
    });
  // The end of the row is what a narrow pane drops: whole, so it never reads "ca…".
  segments.push({ text: `  calls ${agent.calls}`, whole: true });
  if (agent.latencies.length > 0)
    segments.push({ text: `  ${sparkline(agent.latencies)}`, tone: 'info', whole: true });
  return segments;
}

function modelColumn(agents: readonly AgentView[]): Pick<RowColumns, 'model' | 'hosts'> {
  const hosts = new Set(agents.map((agent) => agent.endpoint ?? null)).size > 1;
  const tags = agents.map((agent) => modelTag(agent, hosts));
  if (tags.some((tag) => tag === null) || new Set(tags).size <= 1) return { model: 0, hosts };
  return {
    model: Math.min(MODEL_COLUMN_MAX, Math.max(...tags.map((t) => [...(t ?? '')].length))),
    hosts,
  };
}

/**
 * The agent's model, with its short host when the agents are on several ("llama3.2@:11434"),
 * for telling mixed agents apart; null when the run did not say (an old recording).
 */
export function modelTag(
  agent: Pick<AgentView, 'model' | 'endpoint'>,
  withHost = true,
): string | null {
  if (agent.model === undefined) return null;
  if (agent.model === null) return 'offline';
  return withHost && agent.endpoint ? `${agent.model}@${shortHost(agent.endpoint)}` : agent.model;
}

/** Cut in the middle so both the model's start and the host survive. */
function clip(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  const tail = Math.floor((width - 1) / 2);
  return `${chars.slice(0, width - 1 - tail).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** localhost:11434 -> :11434; api.sambanova.ai -> sambanova.ai. */
export function shortHost(host: string): string {
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.exec(host);
  if (local) return local[2] ?? 'localhost';
  return host.replace(/^api\./, '');
}

export function healthRow(agents: readonly AgentView[], barWidth: number): Segment[] {
  // A jailed agent's vote counts as absent: it is not healthy for the tally's purposes.
  const healthy = agents.filter((agent) => agent.status === 'healthy' && !agent.quarantined).length;
  const total = agents.length;
  const tone: Tone = healthy === total ? 'ok' : healthy * 3 > total * 2 ? 'warn' : 'bad';
  return [
    { text: 'Agents', bold: true },
    { text: '  health ' },
    { text: meter(total === 0 ? 0 : healthy / total, barWidth), tone },
    { text: ` ${healthy}/${total}`, tone },
  ];
}

/** The rows to show when not all fit: a window that keeps the selected agent in view. */
export function agentWindow(count: number, selected: number, rows: number): [number, number] {
  if (rows >= count) return [0, count];
  const start = Math.max(0, Math.min(selected - Math.floor(rows / 2), count - rows));
  return [start, start + rows];
}
