// Graphviz reads a record label in four passes: the DOT lexer (only `\"` is special), the record
// parser (`{ } | < >` split fields and ports, a backslash before one of them or a space makes it
// literal, runs of plain spaces collapse and the ends of a field are trimmed), the entity pass
// (`&amp;`, `&lt;`, `&#169;`, `&euro;`... become the characters they name) and the label pass
// (`\\` is one backslash, `\n` a line break, `\N`, `\G`... are substitutions). A plain label goes
// through all but the record parser. Every escape below is there so that text comes out of all of
// them exactly as it went in. Spaces the record parser would trim or collapse become no-break
// spaces: its own hard space (`\ `) is dropped at the start of a field and disturbs the trimming
// of the next one.

const RECORD_SPECIAL = /[{}|<>]/;

/** Splits `text` at line breaks, which become Graphviz's centred `\n`. */
function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The lines of a label. A label that starts with a line break gets a no-break space as its first
 * line, which looks the same as an empty one: Graphviz (16.1) leaves the first line of a label
 * uninitialised when it is empty, and then calls a function pointer read from that garbage when
 * it frees the label, so `toSvg` crashed with "table index is out of bounds" depending on
 * what the memory held.
 */
function labelLines(text: string): string[] {
  const lines = splitLines(text);
  if (lines.length > 1 && lines[0] === '') lines[0] = '\u00a0';
  return lines;
}

function controlFree(line: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  return line.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\t' ? ' ' : '\ufffd'));
}

/** A line as Graphviz draws it: control characters replaced, and `&` as `&amp;`, so no entity is decoded. */
function drawable(line: string): string {
  return controlFree(line).replaceAll('&', '&amp;');
}

/**
 * Escapes `text` for one field of a `shape=record` label inside a double-quoted DOT string, so
 * that it is drawn exactly as written: quotes, backslashes, `{ } | < >`, `&` (which would start an
 * HTML entity), and spaces that the record parser would trim or collapse (drawn as no-break
 * spaces). Line breaks become line breaks; a tab becomes a space and any other control character
 * U+FFFD, since Graphviz cannot draw them.
 */
export function escapeRecordField(text: string): string {
  return labelLines(text)
    .map((line) => {
      const chars = Array.from(drawable(line));
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
 * `text` as a double-quoted DOT string for a plain (non-record) label, drawn exactly as written:
 * quotes and backslashes escaped, `&` as `&amp;`, line breaks as `\n`.
 */
export function quoteLabel(text: string): string {
  return quoteLines(labelLines(text).map(drawable));
}

/**
 * `text` as a double-quoted DOT string for an attribute that is not drawn as text (a colour):
 * quotes and backslashes escaped, line breaks as `\n`.
 */
export function quote(text: string): string {
  return quoteLines(splitLines(text).map(controlFree));
}

function quoteLines(lines: string[]): string {
  return `"${lines.map((line) => line.replace(/[\\"]/g, (c) => `\\${c}`)).join('\\n')}"`;
}
