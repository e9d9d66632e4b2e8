// Keypress latency: number keys typed on the fake keyboard under load, each matched to the first
// frame that shows the agent it selects.
import { setTimeout as sleep } from 'node:timers/promises';
import stripAnsi from 'strip-ansi';
import { GLYPH } from '../components/glyphs.js';
import { DEFAULT_AGENTS } from '../src/core/catalogue.js';
import type { FakeKeyboard, Frame } from './dashboard-tty.js';

export const KEY_PRESSES = 45;
export const KEY_SPACING_MS = 100;

export interface Press {
  t: number;
  /** The agent the key selects, by index. */
  agent: number;
}

/** 2, 3, 4, 5, 1, 2, ...: every press moves the selection, so every press changes the screen. */
export async function pressKeys(keyboard: FakeKeyboard): Promise<Press[]> {
  const presses: Press[] = [];
  for (let i = 0; i < KEY_PRESSES; i++) {
    const agent = (i + 1) % DEFAULT_AGENTS.length;
    presses.push({ t: keyboard.press(String(agent + 1)), agent });
    await sleep(KEY_SPACING_MS);
  }
  return presses;
}

/** Each press: the first frame after it that shows the new selection, before the next press. */
export function keyLatencies(
  presses: readonly Press[],
  frames: readonly Frame[],
): { latencies: number[]; misses: number } {
  const latencies: number[] = [];
  let misses = 0;
  let from = 0;
  presses.forEach((press, i) => {
    const until = presses[i + 1]?.t ?? Infinity;
    while (from < frames.length && (frames[from] as Frame).t < press.t) from++;
    for (let j = from; j < frames.length; j++) {
      const frame = frames[j] as Frame;
      if (frame.t >= until) break;
      if (frame.text !== null && selectedAgent(frame.text) === press.agent) {
        latencies.push(frame.t - press.t);
        return;
      }
    }
    misses++;
  });
  return { latencies, misses };
}

/**
 * The agent the agents pane marks as selected, by index: its row is the one line of the screen
 * that starts with the selection glyph (the pane is the leftmost column) and names an agent.
 */
function selectedAgent(frame: string): number | null {
  for (const line of stripAnsi(frame).split('\n')) {
    if (!line.startsWith(GLYPH.selected)) continue;
    const head = line.slice(0, 40);
    const index = DEFAULT_AGENTS.findIndex((agent) => head.includes(agent.name));
    if (index >= 0) return index;
  }
  return null;
}
