// Graphviz reads a record label in three passes: the DOT lexer (only `\"` is special), the record
// parser (`{ } | < >` split fields and ports, a backslash before one of them or a space makes it
// literal, runs of plain spaces collapse and the ends of a field are trimmed) and the label
// pass (`\\` is one backslash, `\n` a line break, `\N`, `\G`... are substitutions). Every escape
// below is there so that text comes out of all three exactly as it went in. Spaces the record
// parser would trim or collapse become no-break spaces: its own hard space (`\ `) is dropped at
// the start of a field and disturbs the trimming of the next one.

const RECORD_SPECIAL = /[{}|<>]/;

/** Line breaks become Graphviz's centred `\n`; other control characters cannot be drawn. */
function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function controlFree(line: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  return line.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\t' ? ' ' : '\ufffd'));
}

/**
 * Escapes `text` for one field of a `shape=record` label inside a double-quoted DOT string, so
 * that it is drawn exactly as written: quotes, backslashes, `{ } | < >`, and spaces that the
 * record parser would trim or collapse (drawn as no-break spaces). Line breaks become line breaks; a tab becomes a space and
 * any other control character U+FFFD, since Graphviz cannot draw them.
 */
export function escapeRecordField(text: string): string {
  return lines(text)
    .map((line) => {
      const chars = Array.from(controlFree(line));
      let out = '';
      for (const [i, c] of chars.entries()) {
        if (c === '\\') out += '\\\\';
        else if (c === '"') out += '\\"';
        else if (RECORD_SPECIAL.test(c)) out += `\\${c}`;
        else if (c === ' ' && (i === 0 || i === chars.length - 1 || chars[i - 1] === ' ')) out += '\u00a0';
        else out += c;
      }
      return out;
    })
    .join('\\n');
}

/**
 * `text` as a double-quoted DOT string for a plain (non-record) label or attribute: quotes and
 * backslashes escaped, line breaks as `\n`.
 */
export function quote(text: string): string {
  const body = lines(text)
    .map((line) => controlFree(line).replace(/[\\"]/g, (c) => `\\${c}`))
    .join('\\n');
  return `"${body}"`;
}
