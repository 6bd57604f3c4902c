// uPlot line charts that follow their container's width (laptop or phone) and update in place.
import uPlot from 'uplot';

export interface ChartOptions {
  yRange?: [number, number]; // fixed y range (percentages: [0, 100])
}

export interface SeriesSpec {
  label: string;
  color: string;
  fill?: boolean;
  value?: (v: number | null) => string;
}

export class LineChart {
  private plot: uPlot | null = null;
  private observer: ResizeObserver;

  constructor(
    private el: HTMLElement,
    private series: SeriesSpec[],
    private options: ChartOptions = {},
    private xLabel = 'epoch',
  ) {
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(el);
  }

  private width(): number {
    return Math.max(240, this.el.clientWidth);
  }

  setData(x: number[], ys: (number | null)[][]): void {
    const data = [x, ...ys] as uPlot.AlignedData;
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    const opts: uPlot.Options = {
      width: this.width(),
      height: 220,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // One epoch alone: a small range around it instead of uPlot's default 0..100.
        x: {
          time: false,
          range: (_u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]),
        },
        y: this.options.yRange
          ? { range: this.options.yRange }
          : { range: (_u, min, max) => [Math.min(0, min), max <= 0 ? 1 : max * 1.1] },
      },
      axes: [
        { label: this.xLabel, stroke: '#8a949e', grid: { stroke: 'rgba(128,128,128,0.15)' } },
        { stroke: '#8a949e', size: 64, grid: { stroke: 'rgba(128,128,128,0.15)' } },
      ],
      series: [
        { label: this.xLabel, value: (_u, v) => (v == null ? '–' : String(v)) },
        ...this.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.fill ? s.color + '22' : undefined,
          points: { show: x.length < 40, size: 6 },
          value: s.value ? (_u: uPlot, v: number | null) => s.value!(v) : undefined,
        })),
      ],
    };
    this.plot = new uPlot(opts, data, this.el);
  }

  private resize(): void {
    if (this.plot) this.plot.setSize({ width: this.width(), height: 220 });
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
