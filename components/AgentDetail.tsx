import { Box } from 'ink';
import { stripControl } from '../src/agents/sanitize.js';
import { fmtSeconds } from '../src/store/format.js';
import type { DashboardState } from '../src/store/store.js';
import { STATUS_GLYPH } from './agentRow.js';
import { useDashboard } from './context.js';
import { Line } from './Line.js';
import { wrapText, type Segment } from './segments.js';
import { useKeymap } from './useKeymap.js';

const selectAgents = (state: DashboardState) => state.agents;
const selectSelected = (state: DashboardState) => state.ui.selected;

/** Model text keeps its line breaks here; each line is cleaned and hard-wrapped to the width. */
function textRows(text: string, width: number): string[] {
  return stripControl(text)
    .split('\n')
    .flatMap((line) => wrapText(line.replace(/\t/g, '  '), width));
}

export function AgentDetail({ width, height }: { width: number; height: number }) {
  useKeymap('detail', true);
  const agents = useDashboard(selectAgents);
  const selected = useDashboard(selectSelected);
  const agent = agents[selected];
  if (agent === undefined) return null;
  const call = agent.lastCall;
  const head: Segment[][] = [
    [
      { text: `${STATUS_GLYPH[agent.status]} ${agent.name}`, bold: true },
      { text: `  ${agent.specialty}  weight ${agent.weight}  ${agent.status}`, tone: 'muted' },
      { text: '   Esc closes, ↑/↓ other agents', tone: 'muted' },
    ],
  ];
  if (agent.model !== undefined)
    head.push([
      {
        text:
          agent.model === null
            ? 'model: offline heuristic (no model is called)'
            : `model: ${agent.model}${agent.endpoint ? `  at ${agent.endpoint}` : ''}`,
        tone: 'info',
      },
    ]);
  if (call === null) {
    head.push([{ text: 'No calls yet.', tone: 'muted' }]);
  } else {
    head.push([
      {
        text: `last call ${call.callId}  round ${call.round}  ${call.phase}  source ${call.source}`,
      },
      {
        text: call.latencyMs === null ? '  in progress' : `  latency ${fmtSeconds(call.latencyMs)}`,
      },
      { text: call.ttftMs === null ? '' : `  first token ${fmtSeconds(call.ttftMs)}` },
    ]);
    if (call.error !== null) head.push([{ text: `error: ${call.error}`, tone: 'bad' }]);
  }
  const inner = Math.max(1, width - 2);
  const space = Math.max(0, height - head.length - 2);
  const prompt = call === null ? [] : textRows(call.prompt || '(not recorded)', inner);
  const response = call === null ? [] : textRows(call.raw || '(nothing yet)', inner);
  // The response matters most; the prompt gets what is left, at most half.
  const promptRows = Math.min(
    prompt.length,
    Math.max(1, Math.floor(space / 2)),
    Math.max(0, space - response.length),
  );
  const responseRows = Math.max(0, space - promptRows);
  const body: Segment[][] =
    call === null
      ? []
      : [
          [{ text: 'Prompt', bold: true, tone: 'accent' }],
          ...prompt
            .slice(0, promptRows)
            .map((text) => [{ text: `  ${text}`, tone: 'muted' as const }]),
          [{ text: 'Response', bold: true, tone: 'accent' }],
          ...response.slice(0, responseRows).map((text) => [{ text: `  ${text}` }]),
          ...(call.rejectedRaw
            ? [
                [
                  {
                    text: 'Model text not used (fallback answered)',
                    bold: true,
                    tone: 'warn' as const,
                  },
                ],
                ...textRows(call.rejectedRaw, inner).map((text) => [{ text: `  ${text}` }]),
              ]
            : []),
        ];
  const rows = [...head, ...body].slice(0, height);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {rows.map((segments, index) => (
        <Line key={index} segments={segments} width={width} />
      ))}
    </Box>
  );
}
