import { describe, expect, test } from 'vitest';
import { plural } from '../../src/core/plural.js';

describe('plural', () => {
  test('one is singular; none and many take an s', () => {
    expect(plural(1, 'fork')).toBe('1 fork');
    expect(plural(0, 'fork')).toBe('0 forks');
    expect(plural(2, 'shard folder')).toBe('2 shard folders');
  });
});
