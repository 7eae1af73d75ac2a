import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StepRow } from './protocol.js';

// uPlot's `Axis.Side.Right`: an ambient const enum, which isolated modules cannot read.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
const RIGHT = 1 as uPlot.Axis.Side;

/** Loss (left axis) and accuracy (right axis) per step, redrawn as steps arrive. */
export class Chart {
  private readonly plot: uPlot;
  private readonly steps: number[] = [];
  private readonly losses: number[] = [];
  private readonly accuracies: number[] = [];

  constructor(container: HTMLElement) {
    const options: uPlot.Options = {
      width: Math.max(container.clientWidth, 240),
      height: 200,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, loss: { range: (_u, _min, max) => [0, Number.isFinite(max) && max > 0 ? max : 1] }, acc: { range: [0, 100] } },
      axes: [
        { label: 'step', size: 36, labelSize: 18 },
        { scale: 'loss', label: 'loss', size: 48, labelSize: 18, values: (_u, splits) => splits.map((v) => String(Number(v.toPrecision(3)))) },
        { scale: 'acc', side: RIGHT, label: 'accuracy %', size: 44, labelSize: 18, grid: { show: false } },
      ],
      series: [
        { label: 'step' },
        { label: 'loss', scale: 'loss', stroke: '#b91c1c', width: 2, value: (_u, v) => v.toFixed(4) },
        { label: 'accuracy', scale: 'acc', stroke: '#047857', width: 2, value: (_u, v) => `${v.toFixed(0)}%` },
      ],
    };
    this.plot = new uPlot(options, [[], [], []], container);
    new ResizeObserver(() => {
      this.plot.setSize({ width: Math.max(container.clientWidth, 240), height: 200 });
    }).observe(container);
  }

  /** Appends steps. */
  add(rows: readonly StepRow[]): void {
    for (const row of rows) {
      this.steps.push(row.step);
      this.losses.push(row.loss);
      this.accuracies.push(100 * row.accuracy);
    }
    if (rows.length > 0) this.plot.setData([this.steps, this.losses, this.accuracies]);
  }

  /** Forgets every step. */
  clear(): void {
    this.steps.length = this.losses.length = this.accuracies.length = 0;
    this.plot.setData([[], [], []]);
  }
}
