import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

// The one chart component of the Reports screen, over uPlot (ARCHITECTURE.md Decisions: canvas, ≈ 21 KB gzipped,
// its own chunk, fetched by chart.tsx at the page's first use). The canvas is a picture for sighted readers: every chart stands beside a table with
// the same numbers (ChartFigure's children), so the canvas itself is hidden from assistive technology.

import type { ChartProps } from './chart.tsx';

type Props = ChartProps;

const bars = uPlot.paths.bars?.({ size: [0.7, 48], gap: 2 });

export function UPlotChart({ kind, labels, series, height = 220, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Categories (days, groups) sit at 0 … n-1 on a linear axis; the axis writes their labels.
    const x = labels.map((_, i) => i);
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] } },
      axes: [
        { splits: () => x, values: (_u, splits) => splits.map((s) => labels[s] ?? ''), rotate: labels.length > 8 ? -45 : 0, size: labels.length > 8 ? 70 : 40 },
        { size: 50 },
      ],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: '' },
        ...series.map((s) => kind === 'bars'
          ? { label: s.label, stroke: s.color, fill: `${s.color}cc`, width: 1, ...(bars ? { paths: bars } : {}) }
          : { label: s.label, stroke: s.color, width: 2, points: { show: labels.length <= 40 } }),
      ],
    };
    const data: uPlot.AlignedData = [x, ...series.map((s) => s.values.map((v) => v))];
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [kind, labels, series, height]);
  return <div ref={box} className="chart" aria-hidden="true" data-testid={testId} />;
}
