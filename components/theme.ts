// Colour is decoration, never the only signal (glyphs and words carry meaning), so NO_COLOR can
// drop it wholesale. https://no-color.org: set and non-empty disables colour.
export type Tone = 'ok' | 'warn' | 'bad' | 'accent' | 'info' | 'muted';

const PALETTE: Record<Tone, string> = {
  ok: 'green',
  warn: 'yellow',
  bad: 'red',
  accent: 'cyan',
  info: 'blue',
  muted: 'gray',
};

export function colorsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const noColor = env['NO_COLOR'];
  return noColor === undefined || noColor === '';
}

export function toneColor(tone: Tone | undefined, colors: boolean): string | undefined {
  return colors && tone !== undefined ? PALETTE[tone] : undefined;
}
