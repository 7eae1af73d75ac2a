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
  for (const n of nodes) {
    if (n.kind !== 'op') continue;
    uses[n.a]!++;
    if (n.b >= 0) uses[n.b]!++;
  }
  for (const k of tape.outputs) uses[k]!++;

  const open = new Map<number, Chain>();
  nodes.forEach((n, k) => {
    if (n.kind !== 'op' || n.op !== 'add') return;
    const m = n.b;
    const mul = nodes[m];
    // The product must come right before the sum: then it was first reached through it.
    if (m !== k - 1 || mul?.kind !== 'op' || mul.op !== 'mul' || uses[m] !== 1) return;
    const running = open.get(n.a);
    if (running !== undefined && uses[n.a] === 1) {
      open.delete(n.a);
      running.muls.push(m);
      running.adds.push(k);
      running.top = k;
      open.set(k, running);
    } else {
      open.set(k, { first: k, top: k, c: n.a, muls: [m], adds: [k] });
    }
  });

  const chains = new Map<number, Chain>();
  for (const chain of open.values()) {
    const members = new Set([...chain.muls, ...chain.adds]);
    const touched = new Set([chain.c]);
    for (const m of chain.muls) {
      const n = nodes[m]!;
      if (n.kind === 'op') touched.add(n.a).add(n.b);
    }
    let safe = true;
    for (let q = chain.first + 1; safe && q < chain.top; q++) {
      const n = nodes[q]!;
      if (members.has(q) || n.kind !== 'op') continue;
      safe = !touched.has(n.a) && !(n.b >= 0 && touched.has(n.b));
    }
    if (safe) chains.set(chain.top, chain);
  }
  return chains;
}
