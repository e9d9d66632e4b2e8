// Every key binding of the dashboard, in one table: the dispatcher, the key help line and the
// help overlay all read it, so they cannot disagree.
import type { Key } from 'ink';
import type { FaultKind } from '../src/core/types.js';

export type Intent =
  | { type: 'toggle_pause' }
  | { type: 'step' }
  | { type: 'select'; index: number }
  | { type: 'move_selection'; delta: 1 | -1 }
  | { type: 'inject'; kind: FaultKind }
  | { type: 'recover' }
  | { type: 'recover_all' }
  | { type: 'toggle_protocol' }
  | { type: 'speed'; direction: 1 | -1 }
  | { type: 'scroll'; lines: number }
  | { type: 'scroll_page'; direction: 1 | -1 }
  | { type: 'toggle_filter' }
  | { type: 'toggle_prompts' }
  | { type: 'toggle_help' }
  | { type: 'open_detail' }
  | { type: 'toggle_why' }
  | { type: 'close_overlay' }
  | { type: 'move_round'; delta: 1 | -1 }
  | { type: 'live_round' }
  | { type: 'rewind' }
  | { type: 'toggle_auto_pause' }
  | { type: 'quit' };

/** Where keys go: the main screen, or the overlay that is open. */
export type KeyScope = 'main' | 'help' | 'detail' | 'why';

type NamedKey =
  'upArrow' | 'downArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape';

export type KeySpec = { input: string; ctrl?: boolean } | { key: NamedKey };

export interface Binding {
  keys: readonly KeySpec[];
  /** How the keys read in the help. */
  label: string;
  description: string;
  /** Keys and word for the one-line key help, when the binding appears there. */
  hint?: readonly [keys: string, text: string];
  scopes: readonly KeyScope[];
  intent: Intent | ((input: string) => Intent);
}

const ALL: readonly KeyScope[] = ['main', 'help', 'detail', 'why'];
const MAIN: readonly KeyScope[] = ['main'];
const OVERLAYS: readonly KeyScope[] = ['help', 'detail', 'why'];
const char = (input: string): KeySpec => ({ input });
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const KEYMAP: readonly Binding[] = [
  {
    keys: [char(' ')],
    label: 'space',
    description: 'pause / resume',
    hint: ['space', 'pause'],
    scopes: ALL,
    intent: { type: 'toggle_pause' },
  },
  {
    keys: [char('n'), { key: 'rightArrow' }],
    label: 'n  →',
    description: 'step to the next phase (pauses first); every press moves the phase shown',
    hint: ['n', 'step'],
    scopes: MAIN,
    intent: { type: 'step' },
  },
  {
    keys: DIGITS.map(char),
    label: '1-9',
    description: 'select agent',
    hint: ['1-N', 'select'],
    scopes: ['main', 'detail'],
    intent: (input) => ({ type: 'select', index: Number(input) - 1 }),
  },
  {
    keys: [{ key: 'upArrow' }],
    label: '↑',
    description: 'select previous agent',
    scopes: ['main', 'detail'],
    intent: { type: 'move_selection', delta: -1 },
  },
  {
    keys: [{ key: 'downArrow' }],
    label: '↓',
    description: 'select next agent',
    scopes: ['main', 'detail'],
    intent: { type: 'move_selection', delta: 1 },
  },
  {
    keys: [char('b')],
    label: 'b',
    description: 'make the selected agent byzantine',
    hint: ['b', 'byzantine'],
    scopes: MAIN,
    intent: { type: 'inject', kind: 'byzantine' },
  },
  {
    keys: [char('c')],
    label: 'c',
    description: 'crash the selected agent',
    hint: ['c', 'crash'],
    scopes: MAIN,
    intent: { type: 'inject', kind: 'crash' },
  },
  {
    keys: [char('s')],
    label: 's',
    description: 'slow the selected agent down',
    hint: ['s', 'slow'],
    scopes: MAIN,
    intent: { type: 'inject', kind: 'slow' },
  },
  {
    keys: [char('x')],
    label: 'x',
    description: 'cut the selected agent off the network (partition)',
    scopes: MAIN,
    intent: { type: 'inject', kind: 'partition' },
  },
  {
    keys: [char('r')],
    label: 'r',
    description: 'recover the selected agent (and release it if jailed)',
    hint: ['r', 'recover'],
    scopes: MAIN,
    intent: { type: 'recover' },
  },
  {
    keys: [char('R')],
    label: 'R',
    description: 'recover all agents',
    scopes: MAIN,
    intent: { type: 'recover_all' },
  },
  {
    keys: [char('p')],
    label: 'p',
    description: 'toggle protocol classic / bft',
    hint: ['p', 'protocol'],
    scopes: MAIN,
    intent: { type: 'toggle_protocol' },
  },
  {
    keys: [char('+'), char('=')],
    label: '+',
    description: 'faster',
    hint: ['+/-', 'speed'],
    scopes: ALL,
    intent: { type: 'speed', direction: 1 },
  },
  {
    keys: [char('-'), char('_')],
    label: '-',
    description: 'slower',
    scopes: ALL,
    intent: { type: 'speed', direction: -1 },
  },
  {
    keys: [char('k')],
    label: 'k',
    description: 'scroll the log (or the open overlay) back',
    scopes: ALL,
    intent: { type: 'scroll', lines: 1 },
  },
  {
    keys: [char('j')],
    label: 'j',
    description: 'scroll the log (or the open overlay) forward',
    scopes: ALL,
    intent: { type: 'scroll', lines: -1 },
  },
  {
    keys: [{ key: 'pageUp' }],
    label: 'PgUp',
    description: 'scroll back a page',
    scopes: ALL,
    intent: { type: 'scroll_page', direction: 1 },
  },
  {
    keys: [{ key: 'pageDown' }],
    label: 'PgDn',
    description: 'scroll forward a page',
    scopes: ALL,
    intent: { type: 'scroll_page', direction: -1 },
  },
  {
    keys: [char('['), char('h')],
    label: '[  h',
    description: 'timeline: show the previous round (its tally, votes, why and log as they were)',
    hint: ['[ ]', 'rounds'],
    scopes: MAIN,
    intent: { type: 'move_round', delta: -1 },
  },
  {
    keys: [char(']'), char('l')],
    label: ']  l',
    description: 'timeline: show the next round (past the newest: live)',
    scopes: MAIN,
    intent: { type: 'move_round', delta: 1 },
  },
  {
    keys: [char('g')],
    label: 'g',
    description: 'timeline: back to the live round',
    scopes: MAIN,
    intent: { type: 'live_round' },
  },
  {
    keys: [char('u')],
    label: 'u',
    description:
      'rewind: re-run the deterministic core to the start of the round shown, and run on',
    hint: ['u', 'rewind'],
    scopes: MAIN,
    intent: { type: 'rewind' },
  },
  {
    keys: [char('a')],
    label: 'a',
    description: 'auto-pause on UNSAFE, FORK and section changes on / off (on in the tour)',
    scopes: MAIN,
    intent: { type: 'toggle_auto_pause' },
  },
  {
    keys: [char('w')],
    label: 'w',
    description: 'why the round shown ended as it did, in full',
    hint: ['w', 'why'],
    scopes: ['main', 'why'],
    intent: { type: 'toggle_why' },
  },
  {
    keys: [char('f')],
    label: 'f',
    description: 'filter the log to the selected agent (again: all)',
    scopes: MAIN,
    intent: { type: 'toggle_filter' },
  },
  {
    keys: [char('v')],
    label: 'v',
    description: 'show / hide prompts in the log',
    scopes: MAIN,
    intent: { type: 'toggle_prompts' },
  },
  {
    keys: [{ key: 'return' }],
    label: 'Enter',
    description: "the selected agent's last call",
    scopes: MAIN,
    intent: { type: 'open_detail' },
  },
  {
    keys: [char('?')],
    label: '?',
    description: 'this help',
    hint: ['?', 'help'],
    scopes: ['main', 'help'],
    intent: { type: 'toggle_help' },
  },
  {
    keys: [{ key: 'escape' }, { key: 'return' }],
    label: 'Esc',
    description: 'close the overlay',
    scopes: OVERLAYS,
    intent: { type: 'close_overlay' },
  },
  {
    keys: [char('q'), { input: 'c', ctrl: true }],
    label: 'q  Ctrl+C',
    description: 'quit',
    hint: ['q', 'quit'],
    scopes: ALL,
    intent: { type: 'quit' },
  },
];

type KeyState = Pick<Key, NamedKey | 'ctrl' | 'meta'>;

function matches(spec: KeySpec, input: string, key: Partial<KeyState>): boolean {
  if ('key' in spec) return key[spec.key] === true;
  return input === spec.input && (key.ctrl === true) === (spec.ctrl === true);
}

export function resolveKey(scope: KeyScope, input: string, key: Partial<KeyState>): Intent | null {
  for (const binding of KEYMAP) {
    if (!binding.scopes.includes(scope)) continue;
    if (!binding.keys.some((spec) => matches(spec, input, key))) continue;
    return typeof binding.intent === 'function' ? binding.intent(input) : binding.intent;
  }
  return null;
}

/** `space pause  n step  1-5 select ...` for the key help line. */
/** The intents that would change the run: a replay refuses them, so it stays the recording. */
export const RUN_CHANGING: ReadonlySet<Intent['type']> = new Set([
  'inject',
  'recover',
  'recover_all',
  'toggle_protocol',
]);

/** Whether a binding's keys would change the run (a replay refuses them). */
export function changesRun(binding: Binding): boolean {
  return typeof binding.intent !== 'function' && RUN_CHANGING.has(binding.intent.type);
}

/** `readOnly` (a replay): without the keys it would refuse, so the line offers only what works. */
export function keyHints(agentCount: number, readOnly = false): { keys: string; text: string }[] {
  const last = String(Math.max(1, Math.min(9, agentCount)));
  return KEYMAP.flatMap((binding) =>
    binding.hint === undefined || (readOnly && changesRun(binding))
      ? []
      : [{ keys: binding.hint[0].replace('N', last), text: binding.hint[1] }],
  );
}
