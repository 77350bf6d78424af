// Just enough of a Bicep reader for offline checks: no Bicep compiler can be installed here, so the tests read
// the declarations they care about (params, resources, one object's keys) with a tokenizer that skips strings
// and comments.

export interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
  secure: boolean;
}

export interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
  /** The deployment condition, `if (…)` between `=` and the body, or undefined when the resource is always deployed. */
  condition: string | undefined;
  /** The text of the resource body, from its opening brace to its closing one. */
  body: string;
}

/** Replaces comments and the contents of '…' strings with spaces, so braces and keys inside them are not read as code. Lengths are kept. */
export function maskStringsAndComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    const next = text[i + 1] ?? '';
    if (char === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (char === "'") {
      out += "'";
      i += 1;
      while (i < text.length && text[i] !== "'") {
        out += text[i] === '\n' ? '\n' : ' ';
        if (text[i] === '\\') {
          out += ' ';
          i += 1;
        }
        i += 1;
      }
      out += "'";
      i += 1;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

/** The index just past the brace that closes the one at `open`. */
function matchBrace(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i += 1) {
    if (masked[i] === '{') depth += 1;
    else if (masked[i] === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

export function params(text: string): BicepParam[] {
  const masked = maskStringsAndComments(text);
  const found: BicepParam[] = [];
  for (const match of masked.matchAll(/^[ \t]*param\s+([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z_][A-Za-z0-9_]*)([ \t]*=)?/gm)) {
    // Its decorators are the lines just above it: @…, and the items and closing bracket of a multi-line @allowed([…]).
    const above = masked.slice(0, match.index).split('\n').slice(0, -1).reverse();
    const decorators: string[] = [];
    for (const line of above) {
      if (!/^\s*(@|'|\]|-?\d)/.test(line)) break;
      decorators.push(line);
    }
    found.push({
      name: match[1] ?? '',
      type: match[2] ?? '',
      hasDefault: match[3] !== undefined,
      secure: decorators.some((line) => line.includes('@secure()')),
    });
  }
  return found;
}

export function resources(text: string): BicepResource[] {
  const masked = maskStringsAndComments(text);
  const found: BicepResource[] = [];
  // The type is inside a string, so read it from the original text at the same offsets.
  for (const match of masked.matchAll(/^[ \t]*resource\s+([A-Za-z_][A-Za-z0-9_]*)\s+'/gm)) {
    const quote = (match.index ?? 0) + match[0].length - 1;
    const end = text.indexOf("'", quote + 1);
    const [type = '', apiVersion = ''] = text.slice(quote + 1, end).split('@');
    const open = masked.indexOf('{', end);
    const condition = /=\s*if\s*(\(.*\))\s*$/s.exec(text.slice(end + 1, open))?.[1];
    found.push({ symbol: match[1] ?? '', type, apiVersion, condition, body: text.slice(open, matchBrace(masked, open)) });
  }
  return found;
}

/** The text of the object that follows `key:` at the top level of `body` (an object's text, braces included). */
export function objectAt(body: string, key: string): string {
  const masked = maskStringsAndComments(body);
  let depth = 0;
  for (let i = 0; i < masked.length; i += 1) {
    const char = masked[i];
    if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    else if (
      depth === 1 &&
      masked.startsWith(key, i) &&
      /^\s*:\s*\{/.test(masked.slice(i + key.length)) &&
      !/[A-Za-z0-9_]/.test(masked[i - 1] ?? '')
    ) {
      const open = masked.indexOf('{', i);
      return body.slice(open, matchBrace(masked, open));
    }
  }
  throw new Error(`no object at key ${key}`);
}

/** The keys at the top level of an object's text (`name: value` lines; quoted keys unquoted). */
export function topLevelKeys(objectText: string): string[] {
  const masked = maskStringsAndComments(objectText);
  const keys: string[] = [];
  for (const match of masked.matchAll(/^([ \t]*)([A-Za-z_][A-Za-z0-9_]*|'[^'\n]*')[ \t]*:/gm)) {
    if (depthAt(masked, match.index ?? 0) !== 1) continue;
    const key = match[2] ?? '';
    const start = (match.index ?? 0) + (match[1] ?? '').length;
    keys.push(key.startsWith("'") ? objectText.slice(start + 1, start + key.length - 1) : key);
  }
  return keys;
}

/** Brace/bracket depth at each offset of the masked text (0 outside everything). */
function depthAt(masked: string, offset: number): number {
  let depth = 0;
  for (let i = 0; i < offset; i += 1) {
    const char = masked[i];
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') depth -= 1;
  }
  return depth;
}

/** The value text of `key: value` at the top level of an object's text, to the end of its line, without a trailing comment. */
export function valueOf(objectText: string, key: string): string | undefined {
  const masked = maskStringsAndComments(objectText);
  for (const match of masked.matchAll(new RegExp(`^([ \\t]*${key}[ \\t]*:[ \\t]*)(.*)$`, 'gm'))) {
    if (depthAt(masked, match.index ?? 0) !== 1) continue;
    const start = (match.index ?? 0) + (match[1] ?? '').length;
    return objectText.slice(start, start + (match[2] ?? '').trimEnd().length);
  }
  return undefined;
}
