// Keys must never reach the screen or a recording, even inside an error a server echoed back.

/** Replaces every occurrence of each secret (and any bearer token) so errors can be shown and logged. */
export function redact(text: string, secrets: readonly (string | undefined | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "secrets" would shred ordinary text and are not real keys anyway.
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join('***');
  }
  return out.replace(/(Bearer\s+)[^\s"',]+/gi, '$1***');
}

/**
 * Redacts streamed text, where a key may arrive split across chunks: the end of what has come
 * is held back while it could still be the start of a secret, so no chunk ever shows part of one.
 */
export class StreamRedactor {
  private held = '';
  private readonly secrets: string[];

  constructor(secrets: readonly (string | undefined | null)[]) {
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  }

  /** The part of `text` (after what was held) that is safe to show now. */
  push(text: string): string {
    if (this.secrets.length === 0) return text;
    const all = redact(this.held + text, this.secrets);
    let keep = 0;
    for (const secret of this.secrets) {
      for (let k = Math.min(secret.length - 1, all.length); k > keep; k--) {
        if (all.endsWith(secret.slice(0, k))) {
          keep = k;
          break;
        }
      }
    }
    this.held = all.slice(all.length - keep);
    return all.slice(0, all.length - keep);
  }

  /** What was held back, once the stream has ended (only ever the start of a secret, never one). */
  end(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }
}
