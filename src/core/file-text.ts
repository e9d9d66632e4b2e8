// A file's text as data: YAML for .yaml/.yml (JSON is YAML too), JSON otherwise, as sweep specs
// and scenario files are read. A parse error is one line that says where, since the parsers'
// own messages quote the text across line breaks ("name: x\nsteps:") or give an offset.
import { parse as parseYaml } from 'yaml';

/** C0 and C1 controls and bidi overrides: a quoted token made of one is spelt \uXXXX. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export class FileTextError extends Error {
  override name = 'FileTextError';
}

function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** Throws FileTextError: "not valid JSON at line 2, column 5", "not valid YAML at line ...: why". */
export function parseFileText(text: string, file: string): unknown {
  const yaml = isYamlFile(file);
  try {
    return yaml ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new FileTextError(
      yaml
        ? `not valid YAML${yamlProblem(message)}`
        : `not valid JSON${jsonProblem(message, text)}`,
    );
  }
}

/** " at line L, column C" from a JSON.parse error that gives an offset, else "". */
export function jsonErrorPlace(message: string, text: string): string {
  const at = /position (\d+)/.exec(message);
  if (!at) return '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/** Where, when the parser says; else its reason without the text it quotes. */
function jsonProblem(message: string, text: string): string {
  const place = jsonErrorPlace(message, text);
  if (place !== '') return place;
  // Node 20: `Unexpected token 'a', "name: x\nsteps:"... is not valid JSON`: the token only,
  // spelt \uXXXX if it is a control (a file that starts with an escape sequence).
  const reason = (/^[^,\n]*/.exec(message)?.[0].trim() ?? '').replace(CONTROL, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return reason === '' ? '' : ` (${reason})`;
}

/** The yaml package: "Nested mappings are not allowed ... at line 1, column 4:\n\n<excerpt>". */
function yamlProblem(message: string): string {
  const m = /^(.*?) at line (\d+), column (\d+)/.exec(message);
  if (!m) return ` (${/^[^\n]*/.exec(message)?.[0].trim() ?? ''})`;
  return ` at line ${m[2]}, column ${m[3]}: ${m[1]}`;
}
