import { useMemo } from 'react';
import { stripControl } from '../src/agents/sanitize.js';
import { fmtSeconds } from '../src/store/format.js';
import type { AgentView } from '../src/store/state.js';
import type { DashboardState } from '../src/store/store.js';
import { agentGlyph } from './agentRow.js';
import { useDashboard } from './context.js';
import { Overlay } from './Overlay.js';
import { wrapText, type Segment } from './segments.js';

const selectAgents = (state: DashboardState) => state.agents;
const selectSelected = (state: DashboardState) => state.ui.selected;

/** Model text keeps its line breaks here; each line is cleaned and wrapped to the width. */
function textRows(text: string, width: number): string[] {
  return stripControl(text)
    .split('\n')
    .flatMap((line) => wrapText(line.replace(/\t/g, '  '), width));
}

/** The agent's last call in full: the response first (it carries the answer), then the prompt. */
export function detailRows(agent: AgentView, width: number): Segment[][] {
  const call = agent.lastCall;
  const inner = Math.max(1, width - 2);
  const rows: Segment[][] = [];
  if (agent.model !== undefined)
    rows.push(
      ...wrapText(
        agent.model === null
          ? 'model: offline heuristic (no model is called)'
          : `model: ${agent.model}${agent.endpoint ? `  at ${agent.endpoint}` : ''}`,
        width,
      ).map((text): Segment[] => [{ text, tone: 'info' }]),
    );
  if (call === null) return [...rows, [{ text: 'No calls yet.', tone: 'muted' }]];
  const facts = `last call ${call.callId}  round ${call.round}  ${call.phase}  source ${call.source}${call.latencyMs !== null ? `  latency ${fmtSeconds(call.latencyMs)}` : call.done ? '' : '  in progress'}${call.ttftMs === null ? '' : `  first token ${fmtSeconds(call.ttftMs)}`}`;
  rows.push(...wrapText(facts, width).map((text): Segment[] => [{ text }]));
  if (call.error !== null)
    rows.push(
      ...wrapText(`error: ${call.error}`, width).map((text): Segment[] => [{ text, tone: 'bad' }]),
    );
  rows.push([{ text: 'Response', bold: true, tone: 'accent' }]);
  rows.push(
    ...textRows(call.raw || '(nothing yet)', inner).map((text): Segment[] => [
      { text: `  ${text}` },
    ]),
  );
  if (call.rejectedRaw) {
    rows.push([{ text: 'Model text not used (fallback answered)', bold: true, tone: 'warn' }]);
    rows.push(
      ...textRows(call.rejectedRaw, inner).map((text): Segment[] => [{ text: `  ${text}` }]),
    );
  }
  rows.push([{ text: 'Prompt', bold: true, tone: 'accent' }]);
  rows.push(
    ...textRows(call.prompt || '(not recorded)', inner).map((text): Segment[] => [
      { text: `  ${text}`, tone: 'muted' },
    ]),
  );
  return rows;
}

export function AgentDetail({ width, height }: { width: number; height: number }) {
  const agents = useDashboard(selectAgents);
  const selected = useDashboard(selectSelected);
  const agent = agents[selected];
  const rows = useMemo(() => (agent ? detailRows(agent, width) : []), [agent, width]);
  if (agent === undefined) return null;
  return (
    <Overlay
      scope="detail"
      width={width}
      height={height}
      rows={rows}
      title={[
        { text: `${agentGlyph(agent)} ${agent.name}`, bold: true },
        {
          text: `  ${agent.specialty}  weight ${agent.weight}  ${agent.quarantined ? 'jailed' : agent.status}`,
          tone: 'muted',
        },
        { text: '  ↑/↓ other agents', tone: 'muted' },
      ]}
    />
  );
}
