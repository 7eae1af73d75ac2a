import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The published types are emitted with this package's tsconfig (the build reads the same file),
// so emitting them here and compiling a user's file against them checks the public surface:
// internals (fields the hot paths read, marked @internal) must not be reachable from it.

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = '/virtual/types';

function emitDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    sourceMap: false,
    declarationMap: false,
    rootDir: path.join(root, 'src'),
    outDir: OUT,
  };
  const files = new Map<string, string>();
  const program = ts.createProgram([path.join(root, 'src/index.ts')], options);
  const result = program.emit(undefined, (name, text) => files.set(name, text));
  expect(result.diagnostics).toEqual([]);
  return files;
}

/** Type-checks `source` as a user's file next to the emitted declarations; returns the errors. */
function check(declarations: Map<string, string>, source: string): string[] {
  const user = `${OUT}/user.ts`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = (name: string) => (name === user ? source : declarations.get(name));
  host.fileExists = (name) => read(name) !== undefined || ts.sys.fileExists(name);
  host.readFile = (name) => read(name) ?? ts.sys.readFile(name);
  host.directoryExists = (name) => name === OUT || name.startsWith(`${OUT}/`) || ts.sys.directoryExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language) => {
    const text = read(name);
    return text === undefined ? getSourceFile(name, language) : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([user], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('public types', () => {
  const declarations = emitDeclarations();

  it('declare none of the internals', () => {
    const value = declarations.get(`${OUT}/value.d.ts`)!;
    const internals = [
      '_data',
      '_a',
      '_b',
      '_children',
      '_mark',
      '_symbolic',
      'collectNewValues',
      'VALUE_BRAND',
    ];

    const exposed = internals.filter((name) => new RegExp(`\\b${name}\\b`).test(value));

    expect(exposed).toEqual([]);
  });

  it("reject a user's file that reaches for an internal, and accept the public surface", () => {
    const source = `
      import { Value, sum, dot, valueAndGrad } from './index.js';
      const v = new Value(2, 'v');
      // @ts-expect-error internal
      v._data = NaN;
      // @ts-expect-error internal
      void v._a;
      // @ts-expect-error internal
      void v._b;
      // @ts-expect-error internal
      void v._children;
      // @ts-expect-error internal
      void v._mark;
      // @ts-expect-error internal
      void v._symbolic;
      // @ts-expect-error a Value is not a plain object with the same public fields
      const fake: Value = { data: 1, grad: 0, label: '', op: '', children: [], arg: 0 };
      const total: Value = sum([v, 1]).add(dot([v], [3], 1));
      const { value, grads }: { value: number; grads: number[] } = valueAndGrad((x) => x.mul(v))(3);
      v.label = 'w';
      export { fake, total, value, grads };
    `;

    const errors = check(declarations, source);

    expect(errors).toEqual([]);
  });
});
