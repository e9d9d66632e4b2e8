// One line for the first problem zod found in a user's file: where it is and what is wrong. For a
// key the schema does not know it also names the keys known there, since the usual cause is a
// misspelt or mis-cased one ("durationMs" where a step takes duration_s).
import { z } from 'zod';

/** steps[2].agent */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`))
    .join('');
}

/**
 * `where: message` for the error's first issue (`top level` when it has no path). `at` shows a
 * path (a sweep shows a field set by a flag as the flag).
 */
export function issueLine(
  schema: z.ZodType,
  error: z.ZodError,
  input: unknown,
  at: (path: readonly PropertyKey[]) => string = formatPath,
): string {
  const issue = firstIssue(error);
  if (!issue) return 'top level: invalid';
  const where = issue.path.length > 0 ? at(issue.path) : 'top level';
  const known = issue.code === 'unrecognized_keys' ? keysAt(schema, issue.path, input) : null;
  return `${where}: ${issue.message}${known ? `; known here: ${known.join(', ')}` : ''}`;
}

/**
 * The first issue, unless the same object also has an unknown key: a misspelt required key is
 * both missing and unknown, and the unknown one names what was meant.
 */
function firstIssue(error: z.ZodError): z.core.$ZodIssue | undefined {
  const first = error.issues[0];
  if (!first || first.path.length === 0) return first;
  const parent = first.path.slice(0, -1);
  const unknown = error.issues.find(
    (issue) =>
      issue.code === 'unrecognized_keys' &&
      issue.path.length === parent.length &&
      issue.path.every((key, i) => key === parent[i]),
  );
  return unknown ?? first;
}

/** The keys the object schema at `path` allows (a step's by its `type`), or null if unknown. */
export function keysAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  input: unknown,
): string[] | null {
  let s: unknown = schema;
  let value = input;
  for (let i = 0; ; i++) {
    s = unwrap(s, value);
    if (i === path.length) return s instanceof z.ZodObject ? Object.keys(s.shape) : null;
    const key = path[i];
    if (s instanceof z.ZodArray && typeof key === 'number') {
      s = s.element;
      value = Array.isArray(value) ? (value as unknown[])[key] : undefined;
    } else if (s instanceof z.ZodObject && typeof key === 'string') {
      s = (s.shape as Record<string, unknown>)[key];
      value = isRecord(value) ? value[key] : undefined;
    } else return null;
  }
}

/** Through optional, nullable and default; a discriminated union to the option `value` picks. */
function unwrap(s: unknown, value: unknown): unknown {
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault)
      s = s.unwrap();
    else if (s instanceof z.ZodDiscriminatedUnion) {
      const field = s.def.discriminator;
      const tag = isRecord(value) ? value[field] : undefined;
      return s.options.find((option) => literalAt(option, field)?.has(tag) === true);
    } else return s;
  }
}

/** The values the literal at `field` of an object schema allows. */
function literalAt(option: unknown, field: string): ReadonlySet<unknown> | null {
  if (!(option instanceof z.ZodObject)) return null;
  const schema = (option.shape as Record<string, unknown>)[field];
  return schema instanceof z.ZodLiteral ? (schema.values as ReadonlySet<unknown>) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
