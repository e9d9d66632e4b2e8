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
