// Every glyph the dashboard draws, each with ONE meaning. Panes take their glyphs from here and
// the help's legend lists this table, so a glyph cannot quietly mean two things.
export const GLYPH = {
  // agents
  healthy: '●',
  byzantine: '⚠',
  crashed: '✖',
  slow: '◔',
  partitioned: '⧖',
  jailed: '⊘',
  selected: '▶',
  // decisions and the timeline
  committed: '✓',
  unsafe: '✗',
  fork: '≠',
  noDecision: '∅',
  retry: '↻',
  // log
  round: '──',
  section: '══',
  faultInjected: '▼',
  recovered: '▲',
  warning: '!',
  info: '·',
  prompt: '>',
  response: '<',
  notUsed: '~',
  cut: '…',
  // tally bar
  accept: '#',
  reject: 'x',
  absent: '.',
  quorum: '|',
} as const;

/** The legend: glyph and meaning, grouped as the help shows them. */
export const LEGEND: readonly { group: string; items: readonly [string, string][] }[] = [
  {
    group: 'agents',
    items: [
      [GLYPH.healthy, 'healthy'],
      [GLYPH.byzantine, 'byzantine'],
      [GLYPH.crashed, 'crashed'],
      [GLYPH.slow, 'slow'],
      [GLYPH.partitioned, 'partitioned (cut off from the others)'],
      [GLYPH.jailed, 'jailed (quarantined)'],
      [GLYPH.selected, 'selected agent'],
      ['⠋', 'thinking'],
      ['▁▃▇', 'latency of recent calls'],
      ['[##..]', 'health / time left of a fault'],
    ],
  },
  {
    group: 'decisions',
    items: [
      [GLYPH.committed, 'committed (valid node)'],
      [GLYPH.unsafe, 'UNSAFE commit (invalid node)'],
      [GLYPH.fork, 'FORK (replicas committed different nodes)'],
      [GLYPH.noDecision, 'no decision'],
      [GLYPH.retry, 'not accepted, next candidate'],
    ],
  },
  {
    group: 'tally bar',
    items: [
      [GLYPH.accept, 'accept weight'],
      [GLYPH.reject, 'reject weight'],
      [GLYPH.absent, 'absent weight'],
      [GLYPH.quorum, 'the quorum'],
    ],
  },
  {
    group: 'log',
    items: [
      [GLYPH.round, 'round starts'],
      [GLYPH.section, 'scenario section'],
      [GLYPH.faultInjected, 'fault injected'],
      [GLYPH.recovered, 'recovered'],
      [GLYPH.warning, 'warning or evidence'],
      [GLYPH.info, 'information'],
      [GLYPH.prompt, 'prompt sent'],
      [GLYPH.response, 'response received'],
      [GLYPH.notUsed, 'model text not used (fallback answered)'],
      [GLYPH.cut, 'text cut to fit'],
    ],
  },
];
