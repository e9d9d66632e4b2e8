// dropKey/dropMember delete like Map.delete/Set.delete, and hand back a fresh, empty collection
// once the last entry is gone (src/core/churn.ts says why), never one that loses entries.
import { expect, test } from 'vitest';
import { dropKey, dropMember } from '../../src/core/churn.js';

test('dropKey deletes, keeps the map while entries remain, and starts afresh when empty', () => {
  const calls = new Map([
    ['r1.p.alpha', 1],
    ['r1.p.beta', 2],
  ]);
  const kept = dropKey(calls, 'r1.p.alpha');
  expect(kept).toBe(calls);
  expect([...kept]).toEqual([['r1.p.beta', 2]]);
  expect(dropKey(kept, 'r1.p.unknown')).toBe(calls);
  const fresh = dropKey(kept, 'r1.p.beta');
  expect(fresh).not.toBe(calls);
  expect(fresh.size).toBe(0);
});

test('dropMember does the same for a set', () => {
  const cancelled = new Set(['a', 'b']);
  const kept = dropMember(cancelled, 'a');
  expect(kept).toBe(cancelled);
  expect([...kept]).toEqual(['b']);
  const fresh = dropMember(kept, 'b');
  expect(fresh).not.toBe(cancelled);
  expect(fresh.size).toBe(0);
});
