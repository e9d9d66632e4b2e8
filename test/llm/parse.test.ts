import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REASONING_CHARS, objectCandidates, parseAnswer } from '../../src/agents/parse.js';
import { stripControl } from '../../src/agents/sanitize.js';

const ESC = '\u001b';

function ok(raw: string, phase: 'propose' | 'vote' = 'propose') {
  const r = parseAnswer(raw, phase);
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r.answer;
}

function reason(raw: string, phase: 'propose' | 'vote' = 'propose'): string {
  const r = parseAnswer(raw, phase);
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.answer)}`);
  return r.reason;
}

describe('parseAnswer: broken JSON shapes', () => {
  const want = { kind: 'proposal', nodeId: 'n1', score: 0.9, reasoning: '4 GPUs' };

  it('takes plain JSON', () => {
    expect(ok('{"node_id": "n1", "score": 0.9, "reasoning": "4 GPUs"}')).toEqual(want);
  });

  it('strips code fences, with or without a language', () => {
    expect(ok('```json\n{"node_id": "n1", "score": 0.9, "reasoning": "4 GPUs"}\n```')).toEqual(
      want,
    );
    expect(ok('```\n{"node_id": "n1", "score": 0.9, "reasoning": "4 GPUs"}\n```')).toEqual(want);
    expect(
      ok('Here you go:\n```json\n{"node_id": "n1", "score": 0.9, "reasoning": "4 GPUs"}'),
    ).toEqual(want);
  });

  it('finds the object inside prose', () => {
    const raw =
      'Sure! Based on the inventory, {"node_id": "n1", "score": 0.9, "reasoning": "4 GPUs"} is my pick. Hope it helps.';
    expect(ok(raw)).toEqual(want);
  });

  it('skips stray braces in prose before the real object', () => {
    const raw =
      'Options {n1, n2} considered. {"node_id": "n1", "score": 0.9, "reasoning": "4 GPUs"}';
    expect(ok(raw)).toEqual(want);
  });

  it('matches braces string-aware', () => {
    const raw =
      '{"node_id": "n1", "score": 0.9, "reasoning": "a } and a { and \\" quote"} trailing }';
    expect(ok(raw).reasoning).toBe('a } and a { and " quote');
    expect(objectCandidates('x {"a": "}"} y {"b": 1}')).toEqual(['{"a": "}"}', '{"b": 1}']);
  });

  it('repairs single quotes, trailing commas, unquoted keys and truncation', () => {
    expect(ok("{'node_id': 'n1', 'score': 0.9, 'reasoning': '4 GPUs'}")).toEqual(want);
    expect(ok('{"node_id": "n1", "score": 0.9, "reasoning": "4 GPUs",}')).toEqual(want);
    expect(ok('{node_id: "n1", score: 0.9, reasoning: "4 GPUs"}')).toEqual(want);
    expect(ok('{"node_id": "n1", "score": 0.9, "reasoning": "4 GPUs')).toEqual(want);
  });

  it('says when there is no object at all', () => {
    const text = 'I think n1 is the best node for this job because it has GPUs.';
    expect(reason(text)).toBe(`no JSON object in ${text.length} chars of text`);
    expect(reason('')).toBe('empty response');
    expect(reason('   \n ')).toBe('empty response');
  });

  it('names the wrong field, in one line', () => {
    expect(reason('{"node_id": "n1", "score": "high", "reasoning": "x"}')).toBe(
      'field "score": expected a number in [0,1], got "high"',
    );
    expect(reason('{"vote": "maybe", "confidence": 0.5, "reasoning": "x"}', 'vote')).toBe(
      'field "vote": expected accept or reject, got "maybe"',
    );
    expect(reason('{"corrupted": true}')).toBe(
      'field "node_id": expected a node id string, got nothing (missing)',
    );
    expect(reason('{"node_id": 7, "score": 0.5}')).toBe(
      'field "node_id": expected a node id string, got number 7',
    );
    expect(reason('{"vote": "accept", "reasoning": "x"}', 'vote')).toMatch(/^field "confidence": /);
    expect(reason('{"node_id": "n1", "score": 0.9}', 'vote')).toMatch(/^field "vote": /);
  });

  it('keeps every reason on one line, even when the value has newlines', () => {
    const r = reason('{"vote": "maybe\\nnot\\u001b[31m", "confidence": 1}', 'vote');
    expect(r).not.toMatch(/[\n\r]/);
    expect(r).not.toContain(ESC);
  });
});

describe('parseAnswer: normalisation', () => {
  it('normalises vote words', () => {
    for (const w of [
      'accept',
      'Accept',
      'ACCEPT',
      'yes',
      'Yes',
      'approve',
      'approved',
      'Accept.',
    ]) {
      expect(ok(`{"vote": "${w}", "confidence": 0.9, "reasoning": ""}`, 'vote')).toMatchObject({
        vote: 'accept',
      });
    }
    for (const w of ['reject', 'Reject', 'no', 'NO', 'rejected']) {
      expect(ok(`{"vote": "${w}", "confidence": 0.9, "reasoning": ""}`, 'vote')).toMatchObject({
        vote: 'reject',
      });
    }
    expect(ok('{"vote": true, "confidence": 1}', 'vote')).toMatchObject({
      vote: 'accept',
      reasoning: '',
    });
  });

  it('turns numeric strings into numbers and clamps to [0,1]', () => {
    expect(ok('{"vote": "accept", "confidence": "0.9"}', 'vote')).toMatchObject({
      confidence: 0.9,
    });
    expect(ok('{"vote": "accept", "confidence": "85%"}', 'vote')).toMatchObject({
      confidence: 0.85,
    });
    expect(ok('{"node_id": "n1", "score": 1.5}')).toMatchObject({ score: 1 });
    expect(ok('{"node_id": "n1", "score": -0.2}')).toMatchObject({ score: 0 });
    expect(ok('{"node_id": "n1", "score": " .5 "}')).toMatchObject({ score: 0.5 });
  });

  it('normalises node ids and key spellings', () => {
    expect(ok('{"node_id": " N1 ", "score": 0.5}')).toMatchObject({ nodeId: 'n1' });
    expect(ok('{"nodeId": "n2", "score": 0.5, "reason": "why"}')).toMatchObject({
      nodeId: 'n2',
      reasoning: 'why',
    });
    expect(ok('{"Node_ID": "n3", "Score": 0.5}')).toMatchObject({ nodeId: 'n3' });
  });

  it('strips control sequences from reasoning and caps it', () => {
    const a = ok(
      `{"node_id": "n1", "score": 0.5, "reasoning": "red \\u001b[31mtext\\u001b[0m \\u0007bell"}`,
    );
    expect(a.reasoning).toBe('red text bell');
    const raw = ok(
      `{"node_id": "n1", "score": 0.5, "reasoning": "raw ${ESC}[2J${ESC}]0;title\u0007cleared"}`,
    );
    expect(raw.reasoning).toBe('raw cleared');
    const long = ok(`{"node_id": "n1", "score": 0.5, "reasoning": "${'x'.repeat(5000)}"}`);
    expect(long.reasoning.length).toBe(MAX_REASONING_CHARS);
  });

  it('looks only at the first 64 KB', () => {
    const late = `${'blah '.repeat(14000)}{"node_id": "n1", "score": 0.5}`;
    expect(reason(late)).toMatch(/^no JSON object in 65536 chars/);
    const early = `{"node_id": "n1", "score": 0.5} ${'z'.repeat(1_000_000)}`;
    expect(ok(early)).toMatchObject({ nodeId: 'n1' });
  });
});

describe('parseAnswer: properties', () => {
  it('never throws and never returns an escape character', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.json(),
      fc
        .tuple(fc.string(), fc.jsonValue(), fc.string())
        .map(([a, v, b]) => `${a}${JSON.stringify(v)}${b}`),
      fc
        .record({
          node_id: fc.oneof(fc.string({ unit: 'binary' }), fc.integer()),
          score: fc.oneof(fc.double(), fc.string()),
          vote: fc.constantFrom('accept', 'Reject', 'maybe', `\u001b[31maccept`),
          confidence: fc.oneof(fc.double(), fc.string()),
          reasoning: fc.string({ unit: 'binary' }),
        })
        .map((o) => `\`\`\`json\n${JSON.stringify(o)}\n\`\`\``),
    );
    fc.assert(
      fc.property(texts, fc.constantFrom('propose' as const, 'vote' as const), (raw, phase) => {
        const r = parseAnswer(raw, phase);
        const text = r.ok ? JSON.stringify(r.answer) : r.reason;
        const out = r.ok ? Object.values(r.answer).join('') : r.reason;
        expect(out).not.toContain(ESC);
        expect(out).not.toContain('\u009b');
        if (!r.ok) expect(r.reason).not.toMatch(/[\n\r]/);
        if (r.ok && r.answer.kind === 'proposal') {
          expect(r.answer.score).toBeGreaterThanOrEqual(0);
          expect(r.answer.score).toBeLessThanOrEqual(1);
        }
        return typeof text === 'string';
      }),
      { numRuns: 500 },
    );
  });

  it('reads back any well-formed answer it was given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.string({ maxLength: 80 }).filter((s) => s.trim() === s && stripControl(s) === s),
        (n, score, why) => {
          const r = parseAnswer(
            JSON.stringify({ node_id: `n${n}`, score, reasoning: why }),
            'propose',
          );
          expect(r).toEqual({
            ok: true,
            answer: { kind: 'proposal', nodeId: `n${n}`, score, reasoning: why },
          });
        },
      ),
    );
  });
});
