import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StepRow } from './protocol.js';

// uPlot's `Axis.Side.Right`: an ambient const enum, which isolated modules cannot read.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
const RIGHT = 1 as uPlot.Axis.Side;
// `Scale.Distr.Log`, likewise.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
const LOG = 3 as uPlot.Scale.Distr;
const HEIGHT = 200;

// uPlot passes null for a gap, whatever its types say.
const fixed = (v: number | null, digits: number): string =>
  v !== null && Number.isFinite(v) ? v.toFixed(digits) : '–';
const short = (v: number): string => String(Number(v.toPrecision(3)));
const latest = (column: ArrayLike<number | null | undefined> | undefined): number | null =>
  column === undefined || column.length === 0 ? null : (column[column.length - 1] ?? null);

/**
 * A legend value: the series' value at the hovered step, or at the latest step while the cursor
 * is off the chart.
 */
const legendValue =
  (format: (v: number | null) => string) =>
  (u: uPlot, v: number | null, series: number, idx: number | null): string =>
    format(idx === null ? latest(u.data[series]) : v);
const lossValue = legendValue((v) => fixed(v, 4));
const accuracyValue = legendValue((v) => `${fixed(v, 0)}%`);

/** Loss (left axis) and accuracy (right axis) per step, training and test, redrawn as steps arrive. */
export class Chart {
  private plot: uPlot;
  // Steps, losses, test losses, accuracies, test accuracies: uPlot's columns, x first.
  private readonly columns: [number[], number[], number[], number[], number[]] = [[], [], [], [], []];
  private log = false;

  constructor(private readonly container: HTMLElement) {
    this.plot = this.make();
    new ResizeObserver(() => {
      this.plot.setSize({ width: this.width(), height: HEIGHT });
    }).observe(container);
  }

  /** Plots loss on a logarithmic axis (or back on a linear one). */
  setLogScale(on: boolean): void {
    if (on === this.log) return;
    this.log = on;
    this.plot.destroy();
    this.plot = this.make();
  }

  /** Appends steps; call {@link Chart.draw} to show them. */
  add(rows: readonly StepRow[]): void {
    const [steps, losses, tests, accuracies, testAccuracies] = this.columns;
    for (const row of rows) {
      steps.push(row.step);
      losses.push(row.loss);
      tests.push(row.testLoss);
      accuracies.push(100 * row.accuracy);
      testAccuracies.push(100 * row.testAccuracy);
    }
  }

  draw(): void {
    this.plot.setData(this.data());
  }

  /** Forgets every step. */
  clear(): void {
    for (const column of this.columns) column.length = 0;
    this.draw();
  }

  private width(): number {
    return Math.max(this.container.clientWidth, 240);
  }

  // uPlot draws NaN as a gap and a log axis cannot show 0 or less: those become gaps too.
  private data(): uPlot.AlignedData {
    const [steps, losses, tests, accuracies, testAccuracies] = this.columns;
    const visible = (v: number): number | null => (Number.isFinite(v) && (!this.log || v > 0) ? v : null);
    return [
      steps,
      losses.map(visible),
      tests.map(visible),
      accuracies.map(visible),
      testAccuracies.map(visible),
    ];
  }

  private make(): uPlot {
    const options: uPlot.Options = {
      width: this.width(),
      height: HEIGHT,
      // Hovering shows every series' value at that step; each marker is a line in the series'
      // style (style.css), solid for training and dashed for test.
      legend: {
        live: true,
        markers: {
          width: 2,
          dash: (u, i) => (u.series[i]?.dash === undefined ? 'solid' : 'dashed'),
          fill: 'transparent',
        },
      },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false },
        loss: this.log
          ? { distr: LOG }
          : { range: (_u, _min, max) => [0, Number.isFinite(max) && max > 0 ? max : 1] },
        acc: { range: [0, 100] },
      },
      axes: [
        // Whole steps only: no 0.5 ticks on a short run.
        {
          label: 'step',
          size: 36,
          labelSize: 18,
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
          values: (_u, splits) => splits.map(String),
        },
        {
          scale: 'loss',
          label: this.log ? 'loss (log)' : 'loss',
          size: 52,
          labelSize: 18,
          values: (_u, splits) => splits.map((v) => (Number.isFinite(v) ? short(v) : '')),
        },
        { scale: 'acc', side: RIGHT, label: 'accuracy %', size: 44, labelSize: 18, grid: { show: false } },
      ],
      series: [
        { label: 'step', value: legendValue((v) => fixed(v, 0)) },
        { label: 'loss', scale: 'loss', stroke: '#b91c1c', width: 2, value: lossValue },
        {
          label: 'test loss',
          scale: 'loss',
          stroke: '#b91c1c',
          dash: [5, 4],
          width: 1.5,
          value: lossValue,
        },
        { label: 'accuracy', scale: 'acc', stroke: '#047857', width: 2, value: accuracyValue },
        {
          label: 'test accuracy',
          scale: 'acc',
          stroke: '#047857',
          dash: [5, 4],
          width: 1.5,
          value: accuracyValue,
        },
      ],
    };
    const plot = new uPlot(options, this.data(), this.container);
    // The legend repeats what the chart shows, for the pointer; the summary says it in words.
    plot.root.querySelector('.u-legend')?.setAttribute('aria-hidden', 'true');
    return plot;
  }
}

/** One sentence on where the run stands, for the chart's accessible description. */
export function chartSummary(first: StepRow | undefined, last: StepRow | undefined): string {
  if (first === undefined || last === undefined) return 'No steps yet.';
  const pct = (v: number): string => `${(100 * v).toFixed(0)}%`;
  let text = `Steps 0 to ${last.step}: loss ${short(first.loss)} to ${short(last.loss)}, accuracy ${pct(first.accuracy)} to ${pct(last.accuracy)}`;
  if (Number.isFinite(last.testLoss))
    text += `; test loss ${short(first.testLoss)} to ${short(last.testLoss)}, test accuracy ${pct(first.testAccuracy)} to ${pct(last.testAccuracy)}`;
  return `${text}.`;
}
