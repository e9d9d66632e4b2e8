// Line skips rendering a row whose segments read the same as last frame's (panes rebuild their
// segment arrays on every render). Whatever it skips, a row that changed in any way it is drawn
// must show the change.
import chalk from 'chalk';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DashboardContext } from '../../components/context.js';
import { Line } from '../../components/Line.js';
import type { Segment } from '../../components/segments.js';
import { createDashboardStore } from '../../src/store/store.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { settle } from './render.js';

afterEach(cleanup);

// Tests write to no terminal, so chalk prints no styles unless told to.
const level = chalk.level;
beforeAll(() => {
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = level;
});

function mountLine(segments: readonly Segment[], width = 30) {
  const value = { store: createDashboardStore(), runtime: new FakeRuntime(), colors: true };
  const tree = (next: readonly Segment[], w: number) => (
    <DashboardContext.Provider value={value}>
      <Line segments={next} width={w} />
    </DashboardContext.Provider>
  );
  const view = render(tree(segments, width));
  return {
    frame: () => view.lastFrame() ?? '',
    async show(next: readonly Segment[], w = width) {
      view.rerender(tree(next, w));
      await settle();
    },
  };
}

describe('Line', () => {
  it('shows every change of text, tone, bold, inverse, dim, whole, width and spinner', async () => {
    const base: Segment = { text: 'alpha', tone: 'ok' };
    const view = mountLine([base, { text: ' n1' }]);
    await settle();
    const frames = [view.frame()];
    // Each variant changes one thing from the one before.
    const variants: [readonly Segment[], number?][] = [
      // Equal content in new objects: the same frame.
      [[{ ...base }, { text: ' n1' }]],
      [[{ ...base, text: 'alphb' }, { text: ' n1' }]],
      [[{ ...base, text: 'alphb', tone: 'bad' }, { text: ' n1' }]],
      [[{ ...base, text: 'alphb', tone: 'bad', bold: true }, { text: ' n1' }]],
      [[{ ...base, text: 'alphb', tone: 'bad', bold: true, inverse: true }, { text: ' n1' }]],
      [
        [
          { ...base, text: 'alphb', tone: 'bad', bold: true, inverse: true, dim: true },
          { text: ' n1' },
        ],
      ],
      [
        [
          { ...base, text: 'alphb', tone: 'bad', bold: true, inverse: true, dim: true },
          { text: ' n1' },
          { spinner: true, type: 'simpleDots', width: 3 },
        ],
      ],
      [
        [
          { ...base, text: 'alphb', tone: 'bad', bold: true, inverse: true, dim: true },
          { text: ' n1' },
          { spinner: true, type: 'simpleDots', width: 3 },
        ],
        4,
      ],
    ];
    // Cut, then (only `whole` differs) dropped.
    variants.push([[{ text: 'calls 12' }], 6], [[{ text: 'calls 12', whole: true }], 6]);
    for (const [segments, width] of variants) {
      await view.show(segments, width);
      frames.push(view.frame());
    }
    expect(frames[1]).toBe(frames[0]);
    for (let i = 2; i < frames.length; i++) {
      expect(frames[i], `variant ${i}`).not.toBe(frames[i - 1]);
    }
  });
});
