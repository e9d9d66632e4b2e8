// Turns a terminal capture (`tmux capture-pane -e -p`) into an SVG, for the README's screenshot:
// node scripts/ansi-to-svg.mjs capture.ansi > docs/dashboard.svg   (see scripts/screenshot.sh)
import { readFileSync } from 'node:fs';

const CELL_W = 8.43;
const CELL_H = 17;
const FONT = 14;
const FG = '#d0d0d0';
const BG = '#1c1c1c';
// xterm's 16 colours, as most terminals show them.
const PALETTE = [
  '#1c1c1c',
  '#e0443e',
  '#5fba5f',
  '#d7b440',
  '#4f8fe6',
  '#c472c4',
  '#3fb8c8',
  '#d0d0d0',
  '#7a7a7a',
  '#ff6b66',
  '#87e087',
  '#ffe070',
  '#7fb2ff',
  '#e69ae6',
  '#70e0f0',
  '#ffffff',
];

function color256(n) {
  if (n < 16) return PALETTE[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const c = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${c(Math.floor(i / 36))},${c(Math.floor(i / 6) % 6)},${c(i % 6)})`;
}

function applySgr(style, params) {
  const p = params.length === 0 ? [0] : params;
  for (let i = 0; i < p.length; i++) {
    const n = p[i];
    if (n === 0)
      Object.assign(style, { fg: null, bg: null, bold: false, dim: false, inverse: false });
    else if (n === 1) style.bold = true;
    else if (n === 2) style.dim = true;
    else if (n === 22) style.bold = style.dim = false;
    else if (n === 7) style.inverse = true;
    else if (n === 27) style.inverse = false;
    else if (n >= 30 && n <= 37) style.fg = PALETTE[n - 30];
    else if (n >= 90 && n <= 97) style.fg = PALETTE[n - 90 + 8];
    else if (n >= 40 && n <= 47) style.bg = PALETTE[n - 40];
    else if (n >= 100 && n <= 107) style.bg = PALETTE[n - 100 + 8];
    else if (n === 39) style.fg = null;
    else if (n === 49) style.bg = null;
    else if ((n === 38 || n === 48) && p[i + 1] === 5) {
      style[n === 38 ? 'fg' : 'bg'] = color256(p[i + 2]);
      i += 2;
    } else if ((n === 38 || n === 48) && p[i + 1] === 2) {
      style[n === 38 ? 'fg' : 'bg'] = `rgb(${p[i + 2]},${p[i + 3]},${p[i + 4]})`;
      i += 4;
    }
  }
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const lines = readFileSync(process.argv[2], 'utf8').replace(/\n$/, '').split('\n');
const cols = Math.max(...lines.map((l) => [...l.replace(/\x1b\[[0-9;]*m/g, '')].length), 80);
const out = [];
const style = { fg: null, bg: null, bold: false, dim: false, inverse: false };
lines.forEach((line, row) => {
  let col = 0;
  let run = '';
  let runStart = 0;
  let runStyle = { ...style };
  const flush = () => {
    if (run === '') return;
    let fg = runStyle.fg ?? FG;
    let bg = runStyle.bg;
    if (runStyle.inverse) [fg, bg] = [bg ?? BG, fg];
    const x = runStart * CELL_W;
    const y = row * CELL_H;
    const width = [...run].length * CELL_W;
    if (bg)
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${CELL_H}" fill="${bg}"/>`,
      );
    if (run.trim() !== '') {
      const attrs = `${runStyle.bold ? ' font-weight="bold"' : ''}${runStyle.dim ? ' opacity="0.6"' : ''}`;
      out.push(
        `<text x="${x.toFixed(1)}" y="${y + CELL_H - 4}" fill="${fg}"${attrs} textLength="${width.toFixed(1)}" lengthAdjust="spacingAndGlyphs">${esc(run)}</text>`,
      );
    }
    run = '';
  };
  for (const part of line.split(/(\x1b\[[0-9;]*m)/)) {
    const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (sgr) {
      flush();
      applySgr(style, sgr[1] === '' ? [] : sgr[1].split(';').map(Number));
      runStyle = { ...style };
      runStart = col;
      continue;
    }
    for (const ch of part) {
      if (run === '') runStart = col;
      run += ch;
      col += 1;
    }
  }
  flush();
});
const w = Math.ceil(cols * CELL_W) + 16;
const h = lines.length * CELL_H + 16;
process.stdout.write(
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="${FONT}">\n` +
    `<rect width="100%" height="100%" rx="6" fill="${BG}"/>\n<g transform="translate(8 8)" xml:space="preserve">\n${out.join('\n')}\n</g>\n</svg>\n`,
);
