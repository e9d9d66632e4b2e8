// Number formats shared by the log lines the reducer writes and the panes.

/** 5.5 -> "5.5", 3.6667 -> "3.67", 1 -> "1". */
export function fmtWeight(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** An agent's own weight, as the agents pane shows it: always a decimal (1.0 beside 1.2). */
export function fmtAgentWeight(value: number): string {
  const text = fmtWeight(value);
  return text.includes('.') ? text : `${text}.0`;
}

export function fmtSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function fmtScore(value: number | null): string {
  return value === null ? '-' : value.toFixed(2);
}
