// Model output -> a typed answer. Models wrap JSON in fences and prose, truncate it, quote it with
// single quotes, capitalise enum values and send numbers as strings; each of these is normalised
// here, and anything else is refused with one line saying what was wrong.
import { jsonrepair } from 'jsonrepair';
import { z } from 'zod';
import type { CallPhase, ParsedAnswer } from '../core/types.js';
import { normaliseId, oneLine, stripControl } from './sanitize.js';

export type ParseResult = { ok: true; answer: ParsedAnswer } | { ok: false; reason: string };

/** Only this much of a response is looked at; a runaway model cannot make parsing slow. */
export const MAX_INPUT_CHARS = 64 * 1024;
export const MAX_REASONING_CHARS = 500;
const MAX_NODE_ID_CHARS = 64;
// Prose can hold stray braces ("{like this}") before the real object; try a few, not all.
const MAX_CANDIDATES = 8;

export function parseAnswer(raw: string, phase: CallPhase): ParseResult {
  try {
    return parseUnsafe(raw, phase);
  } catch (err) {
    // Nothing above should throw; this keeps a parser bug from taking down a round.
    return { ok: false, reason: `parser error: ${oneLine(String(err), 120)}` };
  }
}

function parseUnsafe(raw: string, phase: CallPhase): ParseResult {
  const text = stripControl(raw.slice(0, MAX_INPUT_CHARS));
  if (text.trim() === '') return { ok: false, reason: 'empty response' };
  const candidates = objectCandidates(unfence(text));
  if (candidates.length === 0) {
    return { ok: false, reason: `no JSON object in ${text.length} chars of text` };
  }
  let first: ParseResult | null = null;
  for (const candidate of candidates) {
    const result = parseObject(candidate, phase);
    if (result.ok) return result;
    first ??= result;
  }
  return first ?? { ok: false, reason: 'no JSON object' };
}

/** The content of the first fenced block that holds a '{', else the text unchanged. */
function unfence(text: string): string {
  const fence = /```[A-Za-z0-9_-]*[^\S\n]*\n?([\s\S]*?)(?:```|$)/g;
  for (const m of text.matchAll(fence)) {
    const body = m[1] ?? '';
    if (body.includes('{')) return body;
  }
  return text;
}

/**
 * Top-level balanced {...} spans, in order, with braces inside double-quoted strings ignored.
 * An object still open at the end (a truncated answer) is returned to the end of the text so the
 * repair step can close it.
 */
export function objectCandidates(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('{');
  while (i !== -1 && out.length < MAX_CANDIDATES) {
    const end = matchBrace(text, i);
    if (end === -1) {
      out.push(text.slice(i));
      break;
    }
    out.push(text.slice(i, end + 1));
    i = text.indexOf('{', end + 1);
  }
  return out;
}

function matchBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parseObject(candidate: string, phase: CallPhase): ParseResult {
  let value: unknown;
  try {
    // Valid JSON skips the repair: jsonrepair's heuristics can refuse valid input (a "{" at the
    // end of a string value, for one).
    const direct = tryJson(candidate);
    value = direct ? direct.value : JSON.parse(jsonrepair(candidate));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: `unparseable JSON object (${oneLine(why, 80)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object, got ${describe(value)}` };
  }
  const fields = canonicalKeys(value as Record<string, unknown>);
  const schema = phase === 'propose' ? ProposalSchema : VoteSchema;
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(object)';
    return { ok: false, reason: `field "${field}": ${oneLine(issue?.message ?? 'invalid', 160)}` };
  }
  return { ok: true, answer: parsed.data };
}

function tryJson(text: string): { value: unknown } | null {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return null;
  }
}

// "nodeId", "Node_ID" and "node-id" all mean node_id; models drift in key spelling too.
const KEY_ALIASES: Record<string, string> = {
  nodeid: 'node_id',
  node: 'node_id',
  score: 'score',
  reasoning: 'reasoning',
  reason: 'reasoning',
  vote: 'vote',
  decision: 'vote',
  confidence: 'confidence',
};

function canonicalKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const canonical = KEY_ALIASES[key.toLowerCase().replace(/[_\s-]/g, '')];
    // An exact key wins over an alias, whatever order the model wrote them in.
    if (canonical && (!(canonical in out) || key === canonical)) out[canonical] = value;
  }
  return out;
}

const ACCEPT = new Set([
  'accept',
  'accepted',
  'accepts',
  'yes',
  'y',
  'approve',
  'approved',
  'agree',
  'true',
]);
const REJECT = new Set([
  'reject',
  'rejected',
  'rejects',
  'no',
  'n',
  'deny',
  'denied',
  'disagree',
  'false',
]);

const unit = () =>
  z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      const n = toNumber(v);
      if (n === null) {
        ctx.addIssue({ code: 'custom', message: `expected a number in [0,1], got ${describe(v)}` });
        return z.NEVER;
      }
      return Math.min(1, Math.max(0, n));
    });

const reasoning = z
  .unknown()
  .optional()
  .transform((v) => cap(typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v)));

const ProposalSchema = z
  .object({
    node_id: z
      .unknown()
      .optional()
      .transform((v, ctx) => {
        const id = typeof v === 'string' ? normaliseId(v) : null;
        if (id === null || id === '') {
          ctx.addIssue({
            code: 'custom',
            message: `expected a node id string, got ${describe(v)}`,
          });
          return z.NEVER;
        }
        if (id.length > MAX_NODE_ID_CHARS) {
          ctx.addIssue({ code: 'custom', message: `node id too long (${id.length} chars)` });
          return z.NEVER;
        }
        return id;
      }),
    score: unit(),
    reasoning,
  })
  .transform((p): ParsedAnswer => ({
    kind: 'proposal',
    nodeId: p.node_id,
    score: p.score,
    reasoning: p.reasoning,
  }));

const VoteSchema = z
  .object({
    vote: z
      .unknown()
      .optional()
      .transform((v, ctx) => {
        const word =
          typeof v === 'string'
            ? v
                .trim()
                .toLowerCase()
                .replace(/[.!]+$/, '')
            : String(v);
        if (typeof v === 'string' || typeof v === 'boolean') {
          if (ACCEPT.has(word)) return 'accept' as const;
          if (REJECT.has(word)) return 'reject' as const;
        }
        ctx.addIssue({ code: 'custom', message: `expected accept or reject, got ${describe(v)}` });
        return z.NEVER;
      }),
    confidence: unit(),
    reasoning,
  })
  .transform((p): ParsedAnswer => ({
    kind: 'vote',
    vote: p.vote,
    confidence: p.confidence,
    reasoning: p.reasoning,
  }));

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const pct = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (pct) return Number(pct[1]) / 100;
  if (!/^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function cap(text: string): string {
  const clean = stripControl(text).trim();
  return clean.length > MAX_REASONING_CHARS ? `${clean.slice(0, MAX_REASONING_CHARS - 1)}…` : clean;
}

/** A short, safe rendering of an offending value for a one-line reason. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(oneLine(v, 40));
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
