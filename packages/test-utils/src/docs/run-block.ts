// Runs the code in READMEs and TSDoc `@example`s as a reader would paste it, and checks what it
// claims to print. One runner for every package's tests and for the release test.
//
// Conventions (for whoever writes a README or an example):
//
// - Blocks tagged `ts`, `typescript`, `js`, `javascript`, `mjs` or `mts` run; other languages
//   (`sh`, `json`, `dot`, ...) are shown, not run. A block that cannot run here (browser-only,
//   needs a server) says so in its fence: ```` ```ts norun ```` (GitHub and npm still highlight it).
// - A README block is a complete ES module: it imports what it uses. Each block runs alone, in a
//   fresh scope; none sees another's variables. A TSDoc example may import too; one without
//   imports runs with the package's exports (and those of the packages it builds on) in scope.
// - What a block prints: an untagged (or `text`/`output`) fence right after it, with at most two
//   lines of prose between ("prints", "Output:"), is its exact standard output (trailing spaces
//   and the final newline aside).
// - Without such a fence, a one-line statement may state its result in a trailing comment:
//     `console.log(y.data, x.grad); // 10 7`   the line prints exactly `10 7`;
//     `console.log(toDot(v));` followed by lines `// digraph {` ...: it prints those lines;
//     `a.grad; // 4`                            the expression's value is 4;
//     `program.run(batch); // 3.125, the mean`  the value is 3.125; the prose after it is free.
//   A comment is a claim when it starts with a value: a number, `true`, `false`, `null`,
//   `undefined`, `NaN`, `Infinity`, a quoted string, or an array or object literal (compared
//   ignoring white space, quotes as `util.inspect` prints them). A number given with fewer digits
//   holds when the value rounds to it (`// 2.9e-10`). Comments on declarations and assignments,
//   and comments that start with words, are prose.
import { format, inspect } from 'node:util';
import { transform } from 'esbuild';

const VALUE_START = /^(?:-?\d|-?\.\d|(?:true|false|null|undefined|NaN|-?Infinity)\b|['"`[{])/;
const NOT_AN_EXPRESSION =
  /^(?:const|let|var|import|export|return|if|else|for|while|do|switch|case|function|class|type|interface|throw|try|await\s+using)\b|^[{}]/;
const ASSIGNMENT = /^[\w$.[\]'"]+\s*(?:[-+*/%&|^]|\*\*|<<|>>>?|\?\?|&&|\|\|)?=(?!=)/;

/** A statement's claim about its result, found in its trailing comment. */
export interface Claim {
  /** 1-based line within the block. */
  line: number;
  /** The comment's text. */
  text: string;
  /** `print` for a `console.log(...)` line (the comment is the printed line), `value` otherwise. */
  kind: 'print' | 'value';
}

/** Splits a line at its `//` comment, ignoring `//` inside quotes; undefined without a comment. */
function splitComment(line: string): [string, string] | undefined {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && line[i + 1] === '/') return [line.slice(0, i), line.slice(i + 2).trim()];
  }
  return undefined;
}

/**
 * Rewrites each line that makes a claim so that its result is recorded: `expr; // 4` becomes
 * `__mgValue(line, "4", (expr));` and `console.log(a, b); // 1 2` becomes
 * `__mgPrint(line, "1 2", a, b);` (which prints too). Other lines are kept as they are.
 */
export function instrumentClaims(code: string): { code: string; claims: Claim[] } {
  const claims: Claim[] = [];
  const source = code.split('\n');
  const lines = source.map((line, index) => {
    const parts = splitComment(line);
    const [statement, comment] = parts ?? [line, ''];
    const indent = /^\s*/.exec(statement)?.[0] ?? '';
    const body = statement.trim().replace(/;$/, '').trim();
    const print = /^console\.log\(([^]*)\)$/.exec(body);
    // A `console.log(...)` without a comment may show what it prints on the comment lines below it.
    const below: string[] = [];
    if (print && parts === undefined) {
      for (let j = index + 1; j < source.length && /^\s*\/\/ ?/.test(source[j] ?? ''); j++)
        below.push((source[j] ?? '').replace(/^\s*\/\/ ?/, ''));
    }
    const text = below.length > 0 ? below.join('\n') : comment;
    if (body === '' || text === '' || NOT_AN_EXPRESSION.test(body) || ASSIGNMENT.test(body)) return line;
    if (below.length === 0 && !isClaim(comment)) return line;
    const claim: Claim = { line: index + 1, text, kind: print ? 'print' : 'value' };
    claims.push(claim);
    return print
      ? `${indent}__mgPrint(${claim.line}, ${JSON.stringify(text)}, ${print[1] ?? ''});`
      : `${indent}__mgValue(${claim.line}, ${JSON.stringify(text)}, (${body}));`;
  });
  return { code: lines.join('\n'), claims };
}

/**
 * Whether a comment states a value: it starts with one, which is not the start of a formula
 * (`// 1000 + log 2`) or an elided illustration (`// [Value(data=…)]`).
 */
function isClaim(comment: string): boolean {
  if (!VALUE_START.test(comment)) return false;
  const value = leadingValue(comment);
  return !/…|\.\.\./.test(value) && !/^\s*[-+*/=<>^%]/.test(comment.slice(value.length));
}

/** How a value is shown for comparison with a claim: numbers as JavaScript prints them, `-0` kept. */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return inspect(value, { depth: null, breakLength: Infinity, maxArrayLength: null });
}

const squeeze = (text: string): string => text.replace(/\s+/g, '').replace(/"/g, "'");

/** The leading value of a claim's text: a number or keyword, or a balanced quoted or bracketed literal. */
function leadingValue(text: string): string {
  const simple =
    /^(?:-?(?:\d[\d_]*\.?\d*|\.\d+)(?:e[-+]?\d+)?|true|false|null|undefined|NaN|-?Infinity)/i.exec(text);
  if (simple && !/^['"`[{]/.test(text)) return simple[0];
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) {
        quote = '';
        if (depth === 0) return text.slice(0, i + 1);
      }
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(0, i + 1);
    }
  }
  return text;
}

const significantDigits = (literal: string): number =>
  literal.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').length;

/**
 * Checks a claim against what the statement gave: the printed line for `print` claims, the value
 * shown by {@link show} for `value` claims.
 *
 * @returns undefined when it holds, else a message quoting both
 */
export function checkClaim(claim: Claim, actual: unknown): string | undefined {
  const where = `line ${claim.line} claims \`// ${claim.text.replace(/\n/g, '\n// ')}\``;
  if (claim.kind === 'print') {
    const printed = String(actual);
    return normaliseOutput(printed) === normaliseOutput(claim.text)
      ? undefined
      : `${where} but prints ${JSON.stringify(printed)}`;
  }
  const expected = leadingValue(claim.text);
  const shown = show(actual);
  if (squeeze(shown) === squeeze(expected)) return undefined;
  if (typeof actual === 'number' && /^-?[\d.]/.test(expected)) {
    const digits = significantDigits(expected);
    if (
      Number.isFinite(actual) &&
      digits > 0 &&
      digits <= 17 &&
      Number(actual.toPrecision(digits)) === Number(expected)
    )
      return undefined;
  }
  return `${where} but the value is ${shown}`;
}

/** Output compared as a reader compares it: line endings, trailing spaces and the final newline aside. */
export function normaliseOutput(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** The modules a block may import and the names a TSDoc example finds in scope. */
export interface RunOptions {
  /** Modules by specifier (`'@mg/engine': engine`): what an `import ... from` gets. */
  modules?: Record<string, object>;
  /** Loads any other specifier; by default such an import fails, naming it. */
  load?: (specifier: string) => Promise<object>;
  /** Names in scope as if imported (TSDoc examples): every export of these modules. */
  globals?: Record<string, object>;
}

/** What a block did when run. */
export interface BlockRun {
  /** Its standard output, one `console.log` per line. */
  stdout: string;
  /** A message per claim that did not hold (empty when all did). */
  wrongClaims: string[];
  /** How many claims were checked. */
  claims: number;
}

/** TypeScript (or JavaScript) to the ES module a reader's Node would run: types gone, nothing else. */
export async function toJavaScript(code: string): Promise<string> {
  return (await transform(code, { loader: 'ts', format: 'esm', target: 'es2022' })).code;
}

/**
 * Rewrites an ES module's static imports (as esbuild prints them) with `rewrite`, which gets the
 * import clause (undefined for a bare import) and the quoted specifier.
 */
function rewriteImports(
  esm: string,
  rewrite: (clause: string | undefined, spec: string, line: string) => string,
): string {
  return esm.replace(
    /^import\s+(?:(.+?)\s+from\s+)?("[^"]+"|'[^']+');?[ \t]*$/gm,
    (line, clause: string | undefined, spec: string) => rewrite(clause, spec, line),
  );
}

function bindings(clause: string, from: string): string {
  // `x, { a as b }` and `x, * as ns` are a default import plus another form.
  const parts = /^([\w$]+)\s*,\s*(.+)$/.exec(clause);
  if (parts) return `${bindings(parts[1] ?? '', from)} ${bindings(parts[2] ?? '', from)}`;
  if (clause.startsWith('* as ')) return `const ${clause.slice(5)} = ${from};`;
  if (clause.startsWith('{')) return `const ${clause.replace(/\s+as\s+/g, ': ')} = ${from};`;
  return `const { default: ${clause} } = ${from};`;
}

/**
 * Rewrites an ES module's static imports as `require` calls, and wraps the rest in an async
 * function when it awaits at top level, which CommonJS cannot: the same example for a CommonJS user.
 *
 * @throws Error on a default import, which a CommonJS user would write differently
 */
export function toCommonJs(esm: string): string {
  const requires: string[] = [];
  const body = rewriteImports(esm, (clause, spec, line) => {
    if (clause === undefined) requires.push(`require(${spec});`);
    else if (!clause.startsWith('{') && !clause.startsWith('* as '))
      throw new Error(`toCommonJs: cannot translate ${JSON.stringify(line)}`);
    else requires.push(bindings(clause, `require(${spec})`));
    return '';
  }).trim();
  const main = /\bawait\b/.test(body)
    ? `(async () => {\n${body}\n})().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});`
    : body;
  return `'use strict';\n${requires.join('\n')}\n${main}\n`;
}

const AsyncFunction = (async () => undefined).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<void>;

/**
 * Runs a block in this process: its imports come from `options.modules` (or `options.load`), its
 * `console.log` is captured, its claims are checked.
 *
 * @throws whatever the block throws
 */
export async function runInProcess(code: string, options: RunOptions = {}): Promise<BlockRun> {
  const { code: instrumented, claims } = instrumentClaims(code);
  const lines: string[] = [];
  const wrongClaims: string[] = [];
  const log = (...args: unknown[]): void => {
    lines.push(format(...args));
  };
  const capture = { ...console, log, info: log };
  const load = async (spec: string): Promise<object> => {
    const module = options.modules?.[spec] ?? (await options.load?.(spec));
    if (module === undefined)
      throw new Error(`the block imports ${JSON.stringify(spec)}, which the runner was not given`);
    return module;
  };
  let imports = 0;
  const js = rewriteImports(await toJavaScript(instrumented), (clause, spec) => {
    imports++;
    return clause === undefined
      ? `await __mgImport(${spec});`
      : bindings(clause, `await __mgImport(${spec})`);
  }).replace(/^export\s*\{\s*\};?\s*$/m, '');
  // A block that imports is complete: it gets no names besides its own imports.
  const globals = (imports > 0 ? {} : Object.assign({}, ...Object.values(options.globals ?? {}))) as Record<
    string,
    unknown
  >;
  const names = Object.keys(globals).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
  const record = (claim: Claim | undefined, actual: unknown): void => {
    const wrong = claim === undefined ? 'unknown claim' : checkClaim(claim, actual);
    if (wrong !== undefined) wrongClaims.push(wrong);
  };
  const byLine = new Map(claims.map((claim) => [claim.line, claim]));
  const helpers = {
    __mgImport: load,
    __mgValue: (line: number, _text: string, value: unknown): unknown => {
      record(byLine.get(line), value);
      return value;
    },
    __mgPrint: (line: number, _text: string, ...args: unknown[]): void => {
      const text = format(...args);
      lines.push(text);
      record(byLine.get(line), text);
    },
  };
  // The block's own text, after the rewrites above, runs as the body of an async function.
  const run = new AsyncFunction('console', ...Object.keys(helpers), ...names, js);
  await run(capture, ...Object.values(helpers), ...names.map((name) => globals[name]));
  return { stdout: lines.length === 0 ? '' : `${lines.join('\n')}\n`, wrongClaims, claims: claims.length };
}

/**
 * The block as an ES module file for Node, for running it out of process as a user would: as
 * pasted when it makes no claims; otherwise with claims recorded as JSON lines on standard error
 * (see {@link claimsFromStderr}).
 */
export async function toNodeModule(code: string): Promise<string> {
  const { code: instrumented, claims } = instrumentClaims(code);
  if (claims.length === 0) return toJavaScript(code);
  const prelude = [
    "import { format as __mgFormat, inspect as __mgInspect } from 'node:util';",
    `const __mgShow = ${showSource};`,
    'const __mgRecord = (line, actual) => { process.stderr.write(`\\0mg-claim ${JSON.stringify({ line, actual })}\\n`); };',
    'const __mgValue = (line, text, value) => { __mgRecord(line, __mgShow(value)); return value; };',
    'const __mgPrint = (line, text, ...args) => { const printed = __mgFormat(...args); console.log(printed); __mgRecord(line, printed); };',
    '',
  ].join('\n');
  return `${prelude}${await toJavaScript(instrumented)}`;
}

// `show` for the module above, written out: the prelude cannot import this file.
const showSource =
  "(value) => typeof value === 'number' ? (Object.is(value, -0) ? '-0' : String(value)) : __mgInspect(value, { depth: null, breakLength: Infinity, maxArrayLength: null })";

/**
 * Checks the claims a block's module (from {@link toNodeModule}) recorded on standard error.
 *
 * @returns the standard error without the records, and a message per claim that did not hold or never ran
 */
export function claimsFromStderr(code: string, stderr: string): { stderr: string; wrongClaims: string[] } {
  const { claims } = instrumentClaims(code);
  const seen = new Set<number>();
  const wrongClaims: string[] = [];
  const rest = stderr
    .split('\n')
    .filter((line) => {
      const record = /^\0mg-claim (.*)$/.exec(line);
      if (!record) return true;
      const { line: at, actual } = JSON.parse(record[1] ?? '{}') as { line: number; actual: string };
      const claim = claims.find((c) => c.line === at);
      seen.add(at);
      // A value claim's actual arrives already shown: a number becomes one again (for the rounding
      // rule), anything else is compared as the text it was shown as.
      const value =
        /^-?(?:\d|\.\d|Infinity$|NaN$)/.test(actual) && show(Number(actual)) === actual
          ? Number(actual)
          : new Shown(actual);
      const wrong =
        claim === undefined
          ? `unknown claim on line ${at}`
          : checkClaim(claim, claim.kind === 'value' ? value : actual);
      if (wrong !== undefined) wrongClaims.push(wrong);
      return false;
    })
    .join('\n');
  for (const claim of claims.filter((c) => !seen.has(c.line)))
    wrongClaims.push(`line ${claim.line} claims \`// ${claim.text}\` but never ran`);
  return { stderr: rest, wrongClaims };
}

/** A value already shown by the child process: {@link show} gives its text back unchanged. */
class Shown {
  constructor(readonly text: string) {}
  [inspect.custom](): string {
    return this.text;
  }
}
