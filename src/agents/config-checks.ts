// What every source of configuration shares: the error a user must fix, and the checks on URLs
// and environment values that raise it.
import { oneLine } from './sanitize.js';

/** A configuration the user must fix; the message is one line (exit code 2). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function normaliseUrl(text: string, what = 'base URL'): string {
  if (!isHttpUrl(text))
    throw new ConfigError(`${what}: expected an http(s) URL, got "${oneLine(text, 60)}"`);
  return text.trim().replace(/\/+$/, '');
}

/** The value trimmed, or undefined when nothing is left (an empty variable counts as unset). */
export function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
