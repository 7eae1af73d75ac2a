export { type CodeBlock, markdownBlocks, skipReason, tsdocExamples } from './code-blocks.js';
export {
  type BlockRun,
  type Claim,
  checkClaim,
  claimsFromStderr,
  instrumentClaims,
  normaliseOutput,
  type RunOptions,
  runInProcess,
  show,
  toCommonJs,
  toJavaScript,
  toNodeModule,
} from './run-block.js';
