// What every source of configuration shares: the error a user must fix, and the checks on URLs
// and environment values that raise it.
import { oneLine } from './sanitize.js';

/** A configuration the user must fix; the message is one line (exit code 2). */
export class ConfigError extends Error {
  override name = 'ConfigError';

  /** `why` is the problem alone, without the ways out the message may add. */
  constructor(
    message: string,
    readonly why: string = message,
  ) {
    super(message);
  }
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

/** True when the URL carries a user name or password (`http://user:SECRET@host`). */
export function hasCredentials(text: string): boolean {
  try {
    const url = new URL(text);
    return url.username !== '' || url.password !== '';
  } catch {
    return /\/\/[^/?#]*@/.test(text);
  }
}

/** The text with any `user:password@` part masked, for an error message. */
export function maskUrl(text: string): string {
  return oneLine(text.replace(/(\/\/)[^/?#]*@/, '$1***@'), 60);
}

// fetch refuses a URL with credentials (every call would fail as "connection failed"), and the
// password would be printed wherever the URL is: such a URL is refused, without repeating it.
export const CREDENTIALS_REFUSED =
  "a URL with a user name or password is refused; put the key in HYBRID_TUI_API_KEY (or the provider's variable) instead";

export function normaliseUrl(text: string, what = 'base URL'): string {
  if (hasCredentials(text)) throw new ConfigError(`${what}: ${CREDENTIALS_REFUSED}`);
  if (!isHttpUrl(text))
    throw new ConfigError(`${what}: expected an http(s) URL, got "${maskUrl(text)}"`);
  return text.trim().replace(/\/+$/, '');
}

/** The value trimmed, or undefined when nothing is left (an empty variable counts as unset). */
export function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
