// writeJsonBytes writes exactly JSON.stringify's bytes: for every event of runs that reach each
// protocol, adversary and fault, for the edge cases of strings and numbers, and for arbitrary
// values; and it never loses a byte when the buffer has to grow under it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCoreConfig } from '../../src/core/config.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import type { CoreConfig } from '../../src/core/state.js';
import { cached, writeJsonBytes } from '../../src/runtime/json-bytes.js';
import { createRuntime } from '../../src/runtime/run-offline.js';
import { growingSpace } from '../support/byte-space.js';

/** What writeJsonBytes writes for `value`, after `prefix` already in a buffer of `start` bytes. */
function written(value: unknown, start = 8, prefix = ''): string {
  const space = growingSpace(start);
  space.reserve(Buffer.byteLength(prefix));
  space.len = space.buf.write(prefix);
  writeJsonBytes(value, space);
  const text = space.buf.subarray(0, space.len).toString();
  expect(text.startsWith(prefix)).toBe(true);
  return text.slice(prefix.length);
}

const expectSame = (value: unknown) => expect(written(value)).toBe(JSON.stringify(value));

describe('writeJsonBytes', () => {
  it('writes strings as JSON.stringify does: escapes, controls, non-ASCII, lone surrogates', () => {
    for (const s of [
      '',
      'plain',
      'a "quoted" \\ back\\slash',
      'tab\there\nnew line\r\u0000\u001f',
      '\u007f del \u0080 \u009b c1 \u202e bidi',
      'héllo ✓ 漢字 🎉',
      'lone \ud800 high, lone \udfff low, pair \ud83c\udf89',
      'x'.repeat(47),
      `${'long '.repeat(20)}"and" \\ ✓ \u0001`,
    ])
      expectSame({ s, again: s });
  });

  it('writes numbers as JSON.stringify does', () => {
    for (const x of [
      0,
      -0,
      1,
      9,
      10,
      99,
      100,
      12345,
      2 ** 30 - 1,
      2 ** 30,
      2 ** 31,
      2 ** 53,
      -1,
      -12,
      0.5,
      0.1 + 0.2,
      1.3,
      5.5,
      3.67,
      1e21,
      1e-7,
      -2.5e-300,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
    ])
      expectSame({ x, list: [x] });
  });

  it('leaves out undefined, functions and symbols in objects, and nulls them in arrays', () => {
    expectSame({
      a: undefined,
      b: 1,
      c: () => 1,
      d: Symbol('s'),
      e: null,
      f: [undefined, () => 1],
    });
    expectSame({ only: undefined });
    // At the top JSON.stringify gives undefined: there is nothing to write.
    expect(written(undefined)).toBe('');
    expect(written(() => 1)).toBe('');
    expectSame([]);
    expectSame({});
  });

  it('hands what is not a plain object to JSON.stringify: toJSON, Dates, class instances', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expectSame({
      when: new Date(0),
      own: { toJSON: () => 'custom' },
      point: new Point(1, 2),
      bare: Object.assign(Object.create(null) as object, { k: 'v' }),
      map: new Map([[1, 2]]),
      nested: { deeper: { deepest: [1, [2, [3, { k: [] }]]] } },
    });
  });

  it('writes keys as JSON.stringify does: integer-like first, escaped, long', () => {
    expectSame({ b: 1, 2: 'two', a: 3, 1: 'one', 'with "quote"': true, ['k'.repeat(60)]: false });
  });

  it('writes own keys only, as JSON.stringify does, even with Object.prototype polluted', () => {
    const space = growingSpace(64);
    Object.defineProperty(Object.prototype, 'polluted', {
      value: 'inherited',
      enumerable: true,
      configurable: true,
      writable: true,
    });
    try {
      writeJsonBytes({ a: 1, n: { b: 2 } }, space);
    } finally {
      delete (Object.prototype as { polluted?: unknown }).polluted;
    }
    expect(space.buf.subarray(0, space.len).toString()).toBe('{"a":1,"n":{"b":2}}');
  });

  it('grows the buffer under a value of any size without losing a byte before it', () => {
    // Twenty closing braces after the longest number: the end of the buffer falls among them
    // for some starting size.
    let deep: unknown = -1.7976931348623157e308;
    for (let i = 0; i < 20; i++) deep = { a: deep };
    for (let start = 1; start < 300; start++)
      expect(written(deep, start)).toBe(JSON.stringify(deep));
    const big = { prompt: 'p'.repeat(100_000), deep: [[[[[[[[1.7976931348623157e308]]]]]]]] };
    for (const start of [1, 2, 7, 33, 1 << 20])
      expect(written(big, start, 'before\n')).toBe(JSON.stringify(big));
  });

  it('keeps its cache of long strings bounded, and gives the same bytes once it starts afresh', () => {
    // About 10 million characters of distinct long strings: more than the cache holds.
    const longs = Array.from({ length: 200 }, (_, i) => `${i} ${'z'.repeat(50_000)}`);
    for (const s of longs) {
      expect(written({ s })).toBe(JSON.stringify({ s }));
      expect(cached().chars).toBeLessThanOrEqual(8_000_000 + 50_010);
    }
    expect(cached().strings).toBeLessThan(longs.length);
    expect(written({ s: longs[0] })).toBe(JSON.stringify({ s: longs[0] }));
  });

  it('keeps the spellings of numbers bounded, and spells each the same afterwards', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => i + 0.25);
    for (const x of xs) expect(written({ x })).toBe(JSON.stringify({ x }));
    expect(cached().numbers).toBeLessThanOrEqual(1024);
    expect(written({ x: xs[0] })).toBe(JSON.stringify({ x: xs[0] }));
  });

  it('matches JSON.stringify on arbitrary JSON values and strings of any UTF-16 unit', () => {
    const anyUnit = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 80,
    });
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(
          anyUnit,
          fc.oneof(anyUnit, fc.double(), fc.integer(), fc.constant(undefined)),
        ),
        (value, record) => {
          expectSame(value);
          expectSame(record);
          expectSame({ value, record, list: [value, record] });
        },
      ),
      { numRuns: 300 },
    );
  });

  const runs: [string, Partial<CoreConfig>][] = [
    ['tour', {}],
    ['chaos, classic', { scenario: BUILTIN_SCENARIOS['chaos']!, protocol: 'classic' }],
    ...(['original', 'strategic', 'equivocate', 'silent'] as const).map(
      (adversary): [string, Partial<CoreConfig>] => [
        `attack, bft, ${adversary}`,
        { scenario: BUILTIN_SCENARIOS['attack']!, protocol: 'bft', adversary },
      ],
    ),
    [
      'attack, bft, quorum 0.5',
      { scenario: BUILTIN_SCENARIOS['attack']!, protocol: 'bft', quorum: 0.5 },
    ],
    [
      'recovery, bft, noise',
      { scenario: BUILTIN_SCENARIOS['recovery']!, protocol: 'bft', offlineNoise: 0.3 },
    ],
  ];

  it.each(runs)('writes every event of a run exactly as JSON.stringify: %s', async (_name, cfg) => {
    const runtime = createRuntime(makeCoreConfig({ seed: 7, maxRounds: 40, ...cfg }));
    const types = new Set<string>();
    let checked = 0;
    runtime.onEvent((e) => {
      expect(written(e)).toBe(JSON.stringify(e));
      types.add(e.type);
      checked++;
    });
    await runtime.start();
    expect(checked).toBeGreaterThan(200);
    expect(types).toContain('summary');
  });
});
