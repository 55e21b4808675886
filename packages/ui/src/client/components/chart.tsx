/**
 * A uPlot time-series chart sized to its container, with the same numbers as an accessible data
 * table under it (screen readers and scripts read the table; the canvas is decorative to them).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { formatTime } from '../format';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  /** CSS variable holding the line colour. */
  colorVariable: string;
  format: (value: number | null) => string;
}

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export function TimeChart(props: {
  id: string;
  title: string;
  times: number[];
  series: ChartSeries[];
  withDate: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  // The table is built when first opened: a few thousand cells would delay the first paint.
  const [tableOpen, setTableOpen] = useState(false);
  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const axisColor = cssVariable('--muted');
    const gridColor = cssVariable('--grid');
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 200),
        height: 170,
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          // Every series is >= 0: start at zero, leave headroom, and keep a flat zero line readable.
          y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          {
            stroke: axisColor,
            grid: { stroke: gridColor, width: 1 },
            ticks: { stroke: gridColor },
          },
          {
            stroke: axisColor,
            grid: { stroke: gridColor, width: 1 },
            ticks: { stroke: gridColor },
            size: 72,
            values: (_plot, ticks) => ticks.map(tick => props.series[0]!.format(tick)),
          },
        ],
        series: [
          {},
          ...props.series.map(series => ({
            label: series.label,
            stroke: cssVariable(series.colorVariable),
            width: 2,
            // A bucket between empty ones would be invisible as a line: mark the buckets with data.
            points: {
              show: true,
              filter: series.values.flatMap((value, index) =>
                value !== null && value !== 0 ? [index] : [],
              ),
            },
            value: (_plot: uPlot, value: number | null) => series.format(value),
          })),
        ],
      },
      [
        props.times.map(time => time / 1000),
        ...props.series.map(series => series.values),
      ] as uPlot.AlignedData,
      element,
    );
    const observer = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(element.clientWidth, 200), height: 170 }),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series]);

  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <div ref={container} aria-hidden="true" />
      <details onToggle={event => setTableOpen((event.currentTarget as HTMLDetailsElement).open)}>
        <summary>Data table</summary>
        {tableOpen ? (
          <table class="data-table" data-chart={props.id}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {props.series.map(series => (
                  <th scope="col" key={series.label}>
                    {series.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.times.map((time, index) => (
                <tr key={time} data-start={time}>
                  <th scope="row">{formatTime(time, props.withDate)}</th>
                  {props.series.map(series => (
                    <td key={series.label} data-value={series.values[index] ?? ''}>
                      {series.format(series.values[index] ?? null)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </details>
    </figure>
  );
}
