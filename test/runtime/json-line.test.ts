// The fast --json path writes the same bytes as JSON.stringify, event for event, and the sink
// writes them in batches without losing or reordering a byte.
import { describe, expect, it } from 'vitest';
import { LineSink } from '../../src/cli/line-sink.js';
import { makeCoreConfig } from '../../src/core/config.js';
import type { HybridEvent } from '../../src/core/events.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import { writeJsonBytes } from '../../src/runtime/json-bytes.js';
import { escapeUnsafeBytes, jsonLine } from '../../src/runtime/json-line.js';
import { createRuntime } from '../../src/runtime/run-offline.js';
import { growingSpace } from '../support/byte-space.js';

function bytesOf(e: HybridEvent): string {
  const space = growingSpace(16);
  writeJsonBytes(e, space);
  return escapeUnsafeBytes(space.buf.subarray(0, space.len)).toString();
}

describe('writeJsonBytes on events', () => {
  it('gives exactly jsonLine(e) for every event of a run, and leaves the event as it was', async () => {
    const runtime = createRuntime(
      makeCoreConfig({ seed: 3, scenario: BUILTIN_SCENARIOS['chaos']!, maxRounds: 60 }),
    );
    let checked = 0;
    runtime.onEvent((e) => {
      if (e.type === 'llm_delta') return;
      const before = JSON.stringify(e);
      // Twice: the second time from the cache.
      expect(bytesOf(e)).toBe(jsonLine(e));
      expect(bytesOf(e)).toBe(jsonLine(e));
      expect(JSON.stringify(e)).toBe(before);
      checked++;
    });
    await runtime.start();
    expect(checked).toBeGreaterThan(1000);
  });

  it('escapes controls in a cached prompt as jsonLine does', () => {
    const e = {
      type: 'llm_request',
      round: 1,
      call_id: 'c',
      agent: 'a',
      phase: 'propose',
      source: 'llm',
      model: null,
      prompt: `${'p'.repeat(300)} \u009b31m \u202e "prompt":"" \\ end`,
      t: 5,
    } as HybridEvent;
    expect(bytesOf(e)).toBe(jsonLine(e));
    expect(bytesOf(e)).toContain('\\u009b31m \\u202e');
    expect(JSON.parse(bytesOf(e))).toEqual(e);
  });
});

/** A sink that keeps everything it is given, and resolves to it once closed. */
function collecting(): { sink: LineSink; out: () => Promise<string> } {
  const writes: Buffer[] = [];
  const sink = new LineSink(
    { write: (c, cb) => (writes.push(Buffer.from(c)), cb()) },
    { onError: () => {}, transform: escapeUnsafeBytes },
  );
  return { sink, out: async () => (await sink.close(), Buffer.concat(writes).toString()) };
}

describe('LineSink', () => {
  it('writes a whole run as exactly the jsonLine of each event, classic and bft', async () => {
    for (const protocol of ['classic', 'bft'] as const) {
      const runtime = createRuntime(
        makeCoreConfig({ seed: 5, scenario: BUILTIN_SCENARIOS['chaos']!, protocol, maxRounds: 40 }),
      );
      const { sink, out } = collecting();
      const expected: string[] = [];
      runtime.onEvent((e) => {
        if (e.type === 'llm_delta') return;
        expected.push(`${jsonLine(e)}\n`);
        writeJsonBytes(e, sink);
        sink.endLine();
      });
      await runtime.start();
      expect(expected.length).toBeGreaterThan(1000);
      expect(await out()).toBe(expected.join(''));
    }
  });

  it('escapes C1 controls, DEL and bidi overrides once per batch, in short fields too', async () => {
    const { sink, out } = collecting();
    const events = [
      { type: 'vote', reasoning: 'ok \u009b31m red \u007f del \u202e rtl', t: 1 },
      { type: 'vote', reasoning: 'plain ascii', t: 2 },
      { type: 'vote', reasoning: 'héllo ✓ n1', t: 3 },
    ];
    for (const e of events) {
      writeJsonBytes(e, sink);
      sink.endLine();
    }
    const text = await out();
    expect(text).toBe(events.map((e) => `${jsonLine(e)}\n`).join(''));
    expect(text).toContain('\\u009b31m red \\u007f del \\u202e rtl');
    expect(text).toContain('héllo ✓ n1');
  });

  it('writes one batch per synchronous run of lines, holding its last newline back briefly', async () => {
    const writes: string[] = [];
    const sink = new LineSink(
      { write: (c, cb) => (writes.push(Buffer.from(c).toString()), cb()) },
      { onError: () => {}, probeMs: 1 },
    );
    for (let i = 0; i < 100; i++) sink.line(`line ${i}`);
    await Promise.resolve();
    expect(writes).toHaveLength(1);
    expect(writes[0]?.endsWith('line 99')).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(writes).toEqual([expect.any(String), '\n']);
    sink.line('last');
    await sink.close();
    expect(writes.join('')).toBe(
      `${Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('')}last\n`,
    );
  });

  it('reports the first failed write once, and drops what comes after', async () => {
    const errors: string[] = [];
    let calls = 0;
    const sink = new LineSink(
      {
        write: (_c, cb) => {
          calls++;
          cb(Object.assign(new Error('full'), { code: 'ENOSPC' }));
        },
      },
      { onError: (e) => errors.push(e.code ?? '') },
    );
    sink.line('a');
    sink.flush();
    sink.line('b');
    sink.flush();
    expect(await sink.close()).toMatchObject({ code: 'ENOSPC' });
    expect(errors).toEqual(['ENOSPC']);
    expect(calls).toBe(1);
  });
});
