// Decides, from the terminal size alone, which layout fits and how many rows each pane gets.
// Ink 6 redraws the whole screen once a frame is as tall as the terminal (ink#450), so every
// layout fills at most rows - 1.
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;
export const FULL_COLUMNS = 100;
export const FULL_ROWS = 30;
/** Rows the section's caption takes when there is room for it. */
export const CAPTION_ROWS = 2;

export interface FullLayout {
  mode: 'full';
  columns: number;
  height: number;
  captionHeight: number;
  leftWidth: number;
  logWidth: number;
  bodyHeight: number;
  agentsHeight: number;
  tallyHeight: number;
  whyHeight: number;
  historyHeight: number;
  gap: number;
}

export interface CompactLayout {
  mode: 'compact';
  columns: number;
  height: number;
  captionHeight: number;
  /** 0 when the tally is merged with the agents. */
  agentsHeight: number;
  tallyHeight: number;
  /**
   * `merged`: agents and tally in one pane (each agent's health, proposal and vote on one row);
   * `compact`: the agents pane and a two-row tally summary, for short screens.
   */
  tally: 'merged' | 'compact';
  historyHeight: number;
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
  const fullTallyRows = agents + 4;
  if (columns < FULL_COLUMNS || rows < FULL_ROWS) {
    // Header and key help are fixed; then the caption, agents, tally and timeline, and the log
    // gets the rest (at least a title and three rows, or the one-line summary on tiny screens).
    let free = height - 2;
    const captionHeight = free >= 20 ? CAPTION_ROWS : 0;
    free -= captionHeight;
    // Merged only when a real log pane (title and three rows) still fits beside the timeline.
    const merged = free - (fullTallyRows + 1) - 1 >= 4;
    let agentsHeight = 0;
    let tallyHeight: number;
    if (merged) {
      tallyHeight = fullTallyRows + 1;
    } else {
      agentsHeight = Math.max(1, Math.min(1 + agents, free - 3));
      free -= agentsHeight;
      tallyHeight = Math.min(2, Math.max(0, free - 1));
    }
    free -= tallyHeight;
    const historyHeight = free >= 5 ? 1 : 0;
    free -= historyHeight;
    const logHeight = Math.max(1, free);
    return {
      mode: 'compact',
      columns,
      height,
      captionHeight,
      agentsHeight,
      tallyHeight,
      tally: merged ? 'merged' : 'compact',
      historyHeight,
      logHeight,
    };
  }
  const captionHeight = CAPTION_ROWS;
  const bodyHeight = height - 2 - captionHeight; // header, key help, caption
  // Wide enough that a vote row keeps "corrupted: accept -> reject" whole.
  const leftWidth = Math.min(76, Math.max(62, Math.floor(columns * 0.5)));
  const historyHeight = 2;
  let tallyHeight = fullTallyRows;
  let agentsHeight = 1 + agents;
  let gap = 1;
  if (agentsHeight + tallyHeight + historyHeight + 2 * gap + 3 > bodyHeight) gap = 0;
  const over = agentsHeight + tallyHeight + historyHeight - bodyHeight;
  if (over > 0) {
    // Agent rows are windowed first, then the vote rows give way (candidate, bar and decision stay).
    const trimAgents = Math.min(over, agentsHeight - 2);
    agentsHeight -= trimAgents;
    tallyHeight = Math.max(4, tallyHeight - (over - trimAgents));
  }
  const whyHeight = Math.max(0, bodyHeight - agentsHeight - tallyHeight - historyHeight - 3 * gap);
  return {
    mode: 'full',
    columns,
    height,
    captionHeight,
    leftWidth,
    logWidth: columns - leftWidth,
    bodyHeight,
    agentsHeight,
    tallyHeight,
    whyHeight,
    historyHeight,
    gap,
  };
}
