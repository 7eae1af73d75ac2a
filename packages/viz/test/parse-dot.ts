// Reads back the DOT that toDot writes (one statement per line), so tests can check the structure
// of a drawing rather than compare text with a snapshot.

export interface ParsedDot {
  graph: string;
  /** Value nodes by id: their record fields, unescaped, and fill colour if any. */
  values: Map<string, { fields: string[]; fill: string | undefined }>;
  /** Op nodes by id: their label. */
  ops: Map<string, string>;
  /** Other nodes (the summary of a capped graph) by id: their label. */
  others: Map<string, string>;
  edges: { from: string; to: string }[];
}

/** Undoes the record escapes: `\x` is `x`, `\\n` a line break and `&amp;` (Graphviz's entity) `&`. */
function unescapeField(field: string): string {
  return field
    .replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
    .replaceAll('\u00a0', ' ')
    .replaceAll('&amp;', '&');
}

/** Splits a record label `{ a | b | c }` at the `|` that are not escaped. */
function recordFields(label: string): string[] {
  const inner = /^\{ (.*) \}$/s.exec(label)![1]!;
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\') {
      current += c + inner[i + 1]!;
      i++;
    } else if (c === '|') {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  fields.push(current);
  return fields.map((f) => unescapeField(f.replace(/^ +| +$/g, '')));
}

/** The DOT lexer's one escape: `\"` is `"`; every other backslash pair is left for Graphviz's later passes. */
function unquote(body: string): string {
  return body.replace(/\\(.)/gs, (pair, c: string) => (c === '"' ? '"' : pair));
}

/** The body of a double-quoted DOT string: `\"` is `"`, backslashes otherwise kept. */
const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;

export function parseDot(dot: string): ParsedDot {
  const lines = dot.split('\n');
  if (lines[0] !== 'digraph {' || lines.at(-1) !== '}') {
    throw new Error(`not a toDot digraph:\n${dot}`);
  }
  const parsed: ParsedDot = { graph: '', values: new Map(), ops: new Map(), others: new Map(), edges: [] };
  const record = new RegExp(
    String.raw`^  (v\d+) \[shape=record(?:, style=filled, fillcolor="([^"]*)")?, label=${STRING}\];$`,
  );
  const op = new RegExp(String.raw`^  (v\d+_op) \[label=${STRING}\];$`);
  const other = new RegExp(String.raw`^  (\w+) \[.*label=${STRING}\];$`);
  const edge = /^ {2}(\w+) -> (\w+)(?: \[style=dashed\])?;$/;
  for (const line of lines.slice(1, -1)) {
    let m: RegExpExecArray | null;
    if (line.startsWith('  graph [')) parsed.graph = line;
    else if ((m = record.exec(line)))
      parsed.values.set(m[1]!, { fields: recordFields(unquote(m[3]!)), fill: m[2] });
    else if ((m = op.exec(line))) parsed.ops.set(m[1]!, m[2]!);
    else if ((m = edge.exec(line))) parsed.edges.push({ from: m[1]!, to: m[2]! });
    else if ((m = other.exec(line))) parsed.others.set(m[1]!, m[2]!);
    else throw new Error(`unexpected DOT line: ${line}`);
  }
  return parsed;
}

/** The texts Graphviz drew for node `id` in an SVG, entities decoded. */
export function svgNodeTexts(svg: string, id: string): string[] {
  const start = svg.indexOf(`<title>${id}</title>`);
  if (start < 0) throw new Error(`no node ${id} in the SVG`);
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]!));
}

export function decodeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
