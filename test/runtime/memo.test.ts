import { describe, expect, it } from 'vitest';
import { Memo } from '../../src/runtime/memo.js';

/** Counts how often each key had to be made. */
function counted() {
  const made = new Map<string, number>();
  const memo = new Memo<string>();
  const get = (key: string) =>
    memo.get(key, () => {
      made.set(key, (made.get(key) ?? 0) + 1);
      return `value of ${key}`;
    });
  return { made, get };
}

describe('Memo', () => {
  it('keeps a key that is still asked for while thousands of one-off keys pass through', () => {
    // At 100 agents every height asks new votes (the proposer rotates) besides the same
    // proposals: the proposals must not be built again each time the table fills.
    const { made, get } = counted();
    for (let i = 0; i < 50_000; i++) {
      if (i % 100 === 0) expect(get('hot')).toBe('value of hot');
      get(`once ${i}`);
    }
    expect(made.get('hot')).toBe(1);
  });

  it('stays bounded: a key not asked for since is made again', () => {
    const { made, get } = counted();
    get('early');
    for (let i = 0; i < 50_000; i++) get(`once ${i}`);
    expect(get('early')).toBe('value of early');
    expect(made.get('early')).toBe(2);
  });

  it('returns what was made, the same object each time', () => {
    const memo = new Memo<{ n: number }>();
    const a = memo.get('k', () => ({ n: 1 }));
    expect(memo.get('k', () => ({ n: 2 }))).toBe(a);
  });
});
