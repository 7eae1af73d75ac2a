import type { StepRecord } from '../core/train.js';

/** Where a training run reports its steps and its end. */
export interface Progress {
  step(record: StepRecord): void;
  done(summary: Summary): void;
  /** The run stopped before its summary (an error follows on stderr): ends any line left open. */
  stop(): void;
}

/** The end of a run: what the final line or JSON object says. */
export interface Summary {
  steps: number;
  loss: number;
  accuracy: number;
  engine: string;
  msPerStep: number;
  totalMs: number;
  artifacts: string[];
  /** What the pictures could not show as asked, one sentence each (usually none). */
  notes: string[];
}

/** `0.81` -> `81`: the share as a percentage, without float noise such as 81.00000000000001. */
export function percent(share: number): number {
  return Number((share * 100).toFixed(10));
}

/** One line per step, `step K loss L accuracy A%`, the loss in full precision: for logs and pipes. */
export function plainProgress(write: (text: string) => void): Progress {
  return {
    step: (r) => {
      write(`step ${r.step} loss ${r.loss} accuracy ${percent(r.accuracy)}%\n`);
    },
    done: (s) => {
      write(summaryText(s));
    },
    stop: () => undefined,
  };
}

/** A single line rewritten in place, for a terminal. */
export function liveProgress(write: (text: string) => void, total: number): Progress {
  const width = String(total - 1).length;
  // Whether the cursor is at the end of a progress line, where an error would be glued on.
  let open = false;
  return {
    step: (r) => {
      open = true;
      const bar = '#'.repeat(Math.round(((r.step + 1) / total) * 20)).padEnd(20, '.');
      write(
        `\r[${bar}] step ${String(r.step).padStart(width)}/${total - 1}  loss ${r.loss.toFixed(6)}  accuracy ${percent(r.accuracy)}%\x1b[K`,
      );
    },
    done: (s) => {
      open = false;
      write(`\n${summaryText(s)}`);
    },
    stop: () => {
      if (open) write('\n');
      open = false;
    },
  };
}

/** One JSON object per line: `{"step","loss","accuracy"}` per step, then a summary with timing. */
export function jsonProgress(write: (text: string) => void): Progress {
  return {
    step: (r) => {
      write(`${JSON.stringify({ step: r.step, loss: r.loss, accuracy: r.accuracy })}\n`);
    },
    done: (s) => {
      write(
        `${JSON.stringify({
          done: true,
          steps: s.steps,
          loss: s.loss,
          accuracy: s.accuracy,
          engine: s.engine,
          ms_per_step: s.msPerStep,
          total_ms: s.totalMs,
          artifacts: s.artifacts,
          notes: s.notes,
        })}\n`,
      );
    },
    stop: () => undefined,
  };
}

function summaryText(s: Summary): string {
  const lines = [
    `${s.steps} steps (${s.engine}) in ${s.totalMs.toFixed(0)} ms, median ${s.msPerStep.toFixed(2)} ms/step; final loss ${s.loss}, accuracy ${percent(s.accuracy)}%`,
    ...s.notes.map((note) => `note: ${note}`),
  ];
  if (s.artifacts.length > 0) lines.push('wrote:', ...s.artifacts.map((a) => `  ${a}`));
  return `${lines.join('\n')}\n`;
}
