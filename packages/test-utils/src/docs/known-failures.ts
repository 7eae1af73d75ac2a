/**
 * Code blocks that fail today, by package, as the runner names them (`README.md:96`,
 * `src/sgd.ts:27`). The package tests and the release test expect each of them to fail, so a
 * fixed block has to come off this list. The goal is an empty list.
 */
export const knownFailures: Readonly<Record<string, readonly string[]>> = {
  '@mg/engine': ['README.md:84', 'src/compile/program.ts:374'],
  '@mg/nn': [
    'README.md:96',
    'README.md:125',
    'src/adam.ts:25',
    'src/adam.ts:100',
    'src/mlp.ts:116',
    'src/optimizer.ts:13',
    'src/sgd.ts:27',
    'src/trainer.ts:97',
    'src/trainer.ts:331',
  ],
  '@mg/viz': ['README.md:121'],
};

/** The known failures of one package (none when it has no entry). */
export const failingIn = (name: string): readonly string[] => knownFailures[name] ?? [];
