import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Structural reading of the Bicep files: no offline Bicep compiler exists on the build machine (reference
 * dataverse-and-azure.md §9), so the infra tests read declarations, not a compiled template. Enough for the
 * shapes this repository writes; anything it cannot read makes a test fail, not pass.
 */
export const ROOT = join(__dirname, '../..');
export const INFRA = join(ROOT, 'infra');
export const read = (file: string): string => readFileSync(join(INFRA, file), 'utf8');
export const readRoot = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
export const bicepFiles = (): string[] => [
  ...readdirSync(INFRA).filter((f) => f.endsWith('.bicep')),
  ...readdirSync(join(INFRA, 'modules')).map((f) => `modules/${f}`),
];

export interface Resource {
  symbol: string;
  type: string;
  existing: boolean;
  body: string;
}

/** The text between the brace at `open` and its partner (strings and comments skipped). */
export function block(text: string, open: number): string {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === "'" && text[i - 1] !== '\\') quoted = false;
      continue;
    }
    if (c === "'") quoted = true;
    else if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i) - 1;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced block at offset ${open}`);
}

export function resources(text: string): Resource[] {
  const out: Resource[] = [];
  const re = /^resource (\w+) '([^@']+)@[^']+'( existing)? = (?:\[for [^\n]*?: )?(?:if \([^\n]*?\) )?\{/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ symbol: m[1]!, type: m[2]!, existing: !!m[3], body: block(text, m.index + m[0].length - 1) });
  }
  return out;
}

/** `key: value` entries at the top level of an object body, one per line or comma-separated on one line. */
export function topLevel(body: string): Map<string, string> {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  const code = body.replace(/^\s*\/\/.*$/gm, '');
  for (const c of code) {
    if (c === "'") quoted = !quoted;
    if (!quoted && '{[('.includes(c)) depth++;
    if (!quoted && '}])'.includes(c)) depth--;
    if (!quoted && depth === 0 && (c === ',' || c === '\n')) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  const out = new Map<string, string>();
  for (const part of parts) {
    const m = /^\s*(?:'([^']+)'|([\w$.-]+)): ([\s\S]*)$/.exec(part);
    if (m) out.set((m[1] ?? m[2])!, m[3]!.trim());
  }
  return out;
}

/** The object literal given to `key` (`appSettings: {` or `var roles = {`) inside `text`. */
export function objectAt(text: string, key: string): Map<string, string> {
  const m = new RegExp(`\\b${key}(: | = )\\{`).exec(text);
  if (!m) throw new Error(`no ${key}: { … } found`);
  return topLevel(block(text, m.index + m[0].length - 1));
}

/** A module's params as `name → expression` from `module <symbol> '…' = { … params: { … } }`. */
export function moduleParams(text: string, symbol: string): Map<string, string> {
  const at = text.search(new RegExp(`^module ${symbol} '`, 'm'));
  if (at < 0) throw new Error(`no module ${symbol}`);
  const body = block(text, text.indexOf('{', at));
  return objectAt(body, 'params');
}

/** `param <name> <type>` declarations: name → has a default. */
export function params(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of text.matchAll(/^param (\w+) \w+( = .*)?$/gm)) out.set(m[1]!, !!m[2]);
  return out;
}
