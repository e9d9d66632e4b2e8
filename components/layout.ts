// Decides, from the terminal size alone, which layout fits and how many rows each pane gets.
// Ink 6 redraws the whole screen once a frame is as tall as the terminal (ink#450), so every
// layout fills at most rows - 1.
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;
export const FULL_COLUMNS = 100;
export const FULL_ROWS = 30;

export interface FullLayout {
  mode: 'full';
  columns: number;
  height: number;
  leftWidth: number;
  logWidth: number;
  bodyHeight: number;
  agentsHeight: number;
  tallyHeight: number;
  historyHeight: number;
  gap: number;
}

export interface CompactLayout {
  mode: 'compact';
  columns: number;
  height: number;
  agentsHeight: number;
  tallyHeight: number;
  /** One row for the newest entry, or a short log pane when rows are left over. */
  logHeight: number;
}

export interface TooSmallLayout {
  mode: 'too-small';
  columns: number;
  height: number;
}

export type Layout = FullLayout | CompactLayout | TooSmallLayout;

export function computeLayout(columns: number, rows: number, agentCount: number): Layout {
  const height = Math.max(1, rows - 1);
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return { mode: 'too-small', columns, height };
  const agents = Math.max(1, agentCount);
  if (columns < FULL_COLUMNS || rows < FULL_ROWS) {
    // Header, key help and at least one log row are fixed; agents and tally share the rest.
    const free = height - 3;
    const tallyHeight = 2;
    const agentsHeight = Math.max(1, Math.min(1 + agents, free - tallyHeight));
    const logHeight = Math.max(1, free - tallyHeight - agentsHeight + 1);
    return { mode: 'compact', columns, height, agentsHeight, tallyHeight, logHeight };
  }
  const bodyHeight = height - 2; // header and key help
  const leftWidth = Math.min(72, Math.max(52, Math.floor(columns * 0.5)));
  const historyHeight = 2;
  let tallyHeight = 3 + agents;
  let agentsHeight = 1 + agents;
  let gap = 1;
  if (agentsHeight + tallyHeight + historyHeight + 2 * gap > bodyHeight) gap = 0;
  const over = agentsHeight + tallyHeight + historyHeight - bodyHeight;
  if (over > 0) {
    // Proposals give way first (the candidate and tally stay), then agent rows are windowed.
    const trimTally = Math.min(over, tallyHeight - 3);
    tallyHeight -= trimTally;
    agentsHeight = Math.max(2, agentsHeight - (over - trimTally));
  }
  return {
    mode: 'full',
    columns,
    height,
    leftWidth,
    logWidth: columns - leftWidth,
    bodyHeight,
    agentsHeight,
    tallyHeight,
    historyHeight,
    gap,
  };
}
