// The due queue decides the order of everything a run does at --speed max and inside a bft
// height: items come out by time, and items due at the same time in the order they went in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DueQueue } from '../../src/core/due-queue.js';

/** A push (a time) or a pop (null). */
const op = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(null));

describe('DueQueue', () => {
  it('pops by time, ties in insertion order, however pushes and pops interleave', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new DueQueue<number>();
        // The reference: a list kept sorted by (time, insertion number).
        const model: { at: number; id: number }[] = [];
        let id = 0;
        for (const at of ops) {
          if (at !== null) {
            q.push(at, id);
            model.push({ at, id: id++ });
            model.sort((a, b) => a.at - b.at || a.id - b.id);
          } else {
            expect(q.nextAt()).toBe(model[0]?.at ?? Infinity);
            expect(q.pop()).toBe(model.shift()?.id);
          }
          expect(q.size).toBe(model.length);
        }
        while (model.length > 0) {
          expect(q.nextAt()).toBe(model[0]?.at);
          expect(q.pop()).toBe(model.shift()?.id);
        }
        expect(q.pop()).toBeUndefined();
        expect(q.nextAt()).toBe(Infinity);
      }),
    );
  });

  it('keeps fractional times apart and equal times in order', () => {
    const q = new DueQueue<string>();
    q.push(1.5, 'b');
    q.push(1, 'a');
    q.push(1.5, 'c');
    q.push(0.25, 'first');
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual(['first', 'a', 'b', 'c']);
  });
});
