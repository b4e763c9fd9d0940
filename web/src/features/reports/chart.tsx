import { useEffect, useState, type ComponentType } from 'react';
import { useOnFirstUse } from '../../app/first-use.ts';

// The Reports screen's charts, fetched apart from the screen: uPlot (uplot-chart.tsx, ≈ 21 KB gzipped) is loaded
// at the page's first key, pointer move or touch (app/first-use.ts, as the widgets are), so the supervisor's first
// screen stays within the 150 KB budget (bench:ui). Until then a chart is an empty box of its size: the table
// beside it already shows every number.

export type ChartSeries = { label: string; values: readonly (number | null)[]; color: string };
/** `bars`: one bar per label for each series (the breakdown shows one measure at a time). */
export type ChartProps = { kind: 'lines' | 'bars'; labels: readonly string[]; series: readonly ChartSeries[]; height?: number; testId?: string };

type Impl = ComponentType<ChartProps>;
let loading: Promise<Impl> | null = null;
const loadChart = (): Promise<Impl> => (loading ??= import('./uplot-chart.tsx').then((m) => m.UPlotChart));
/** For the screen: start fetching at its first use, even while no chart is mounted yet (its data still loading). */
export const preloadCharts = (): void => void loadChart();

export function Chart(props: ChartProps) {
  const [Impl, setImpl] = useState<Impl | null>(null);
  const show = () => void loadChart().then((c) => setImpl(() => c));
  useOnFirstUse(show, Impl === null);
  // Already fetched (another chart, an earlier visit): draw at once.
  useEffect(() => {
    if (loading) show();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  if (Impl) return <Impl {...props} />;
  return <div className="chart chart-pending" aria-hidden="true" style={{ height: props.height ?? 220 }} data-testid={props.testId} />;
}
