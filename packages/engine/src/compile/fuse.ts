import type { Tape } from './tape.js';

/**
 * A dot-product chain, `((c + u0*v0) + u1*v1) + ...`: what every neuron computes. Running
 * it as one instruction (one loop instead of two dispatches per term) is where compiled
 * mode's speed comes from.
 */
export interface Chain {
  /** The first term's sum `c + u0*v0`, and the last (the chain's value). */
  first: number;
  top: number;
  /** The starting operand `c` (a neuron's bias). */
  c: number;
  /** The products `u_j * v_j`, in order. */
  muls: number[];
  /** The sums, in order: `adds[j] = adds[j-1] + muls[j]`. */
  adds: number[];
}

/**
 * Finds the chains whose fusion changes no result, not even in the last bit.
 *
 * A term joins when its product and the running sum are used nowhere else, so their
 * values and gradients need not exist. Eager mode back-propagates the terms interleaved
 * with the subgraphs first reached through them; a fused chain does all its terms first. That
 * reorders additions only if a node inside the chain's span adds into a gradient the chain
 * also adds into (`c`, `u_j`, `v_j`), so such chains are left unfused.
 */
export function findChains(tape: Tape): Map<number, Chain> {
  const { nodes } = tape;
  const uses = new Int32Array(nodes.length);
  // Indexed loops here and in the other passes a compile makes over every node: they run once,
  // mostly before V8 optimises them, and there each step of a for-of loop allocates an object.
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    if (n.kind !== 'op') continue;
    uses[n.a]!++;
    if (n.b >= 0) uses[n.b]!++;
  }
  const { outputs } = tape;
  for (let j = 0; j < outputs.length; j++) uses[outputs[j]!]!++;

  // `open[k]` is 1 + the number of the chain whose running sum node `k` is, or 0.
  const found: Chain[] = [];
  const open = new Int32Array(nodes.length);
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    if (n.kind !== 'op' || n.op !== 'add') continue;
    const m = n.b;
    const mul = nodes[m];
    // The product must come right before the sum: then it was first reached through it.
    if (m !== k - 1 || mul?.kind !== 'op' || mul.op !== 'mul' || uses[m] !== 1) continue;
    const running = open[n.a]! - 1;
    if (running >= 0 && uses[n.a] === 1) {
      open[n.a] = 0;
      const chain = found[running]!;
      chain.muls.push(m);
      chain.adds.push(k);
      chain.top = k;
      open[k] = running + 1;
    } else {
      open[k] = found.push({ first: k, top: k, c: n.a, muls: [m], adds: [k] });
    }
  }

  // Per node, the number of the last chain it is a member of, or an operand of a term of
  // (marks instead of two sets per chain: a large model's tape has thousands of chains).
  const member = new Int32Array(nodes.length);
  const touched = new Int32Array(nodes.length);
  const chains = new Map<number, Chain>();
  let mark = 0;
  for (let top = 0; top < nodes.length; top++) {
    if (open[top] === 0) continue;
    const chain = found[open[top]! - 1]!;
    mark++;
    const { muls, adds } = chain;
    for (let j = 0; j < adds.length; j++) member[adds[j]!] = mark;
    touched[chain.c] = mark;
    for (let j = 0; j < muls.length; j++) {
      const m = muls[j]!;
      member[m] = mark;
      const n = nodes[m]!;
      if (n.kind !== 'op') continue;
      touched[n.a] = mark;
      touched[n.b] = mark;
    }
    let safe = true;
    for (let q = chain.first + 1; safe && q < chain.top; q++) {
      const n = nodes[q]!;
      if (member[q] === mark || n.kind !== 'op') continue;
      safe = touched[n.a] !== mark && !(n.b >= 0 && touched[n.b] === mark);
    }
    if (safe) chains.set(chain.top, chain);
  }
  return chains;
}
