// The analytics charts, drawn with visx (Airbnb's React + d3 primitives): SVG rendered on the server
// with the page, so a chart is there before any script runs, and only the pieces used (scales, a bar
// stack, a heatmap, axes) reach the bundle. Each chart is an image with a text summary; the figures
// themselves are in the table beside it (ReportTable), which screen readers use.
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { HeatmapRect } from '@visx/heatmap';
import { scaleBand, scaleLinear, scaleOrdinal } from '@visx/scale';
import { BarStack } from '@visx/shape';
import type { TAnalyticsReport } from '@/classroom/analytics-report';

type Day = TAnalyticsReport['perDay'][number];

export const SERIES = [
  { key: 'sentDirect', label: 'Sent, direct', color: '#1d4ed8' },
  { key: 'sentClass', label: 'Sent, class', color: '#60a5fa' },
  { key: 'receivedDirect', label: 'Received, direct', color: '#b45309' },
  { key: 'receivedClass', label: 'Received, class', color: '#fbbf24' },
] as const;
type SeriesKey = (typeof SERIES)[number]['key'];
const KEYS = SERIES.map((s) => s.key) as SeriesKey[];

const W = 720;
const H = 200;
const MARGIN = { left: 40, right: 8, bottom: 24, top: 8 };
const TICK = { fontSize: 11, fill: '#475569' } as const;

export function DailyBars({ days, summary }: { days: readonly Day[]; summary: string }) {
  const totals = days.map((d) => KEYS.reduce((n, k) => n + d[k], 0));
  const xScale = scaleBand<string>({
    domain: days.map((d) => d.day),
    range: [0, W - MARGIN.left - MARGIN.right],
    padding: 0.25,
  });
  const yScale = scaleLinear<number>({
    domain: [0, Math.max(1, ...totals)],
    range: [H - MARGIN.top - MARGIN.bottom, 0],
    nice: true,
  });
  const color = scaleOrdinal<SeriesKey, string>({ domain: KEYS, range: SERIES.map((s) => s.color) });
  // First and last day only: 90 labels would not fit.
  const dayTicks = days.length > 1 ? [days[0]!.day, days[days.length - 1]!.day] : days.map((d) => d.day);
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="h-auto w-full">
        <Group left={MARGIN.left} top={MARGIN.top}>
          <BarStack<Day, SeriesKey>
            data={[...days]}
            keys={KEYS}
            x={(d) => d.day}
            xScale={xScale}
            yScale={yScale}
            color={color}
          >
            {(stacks) =>
              stacks.map((stack) =>
                stack.bars.map((bar) =>
                  bar.height > 0 ? (
                    <rect
                      key={`${stack.key}-${bar.index}`}
                      x={bar.x}
                      y={bar.y}
                      width={Math.max(1, bar.width)}
                      height={bar.height}
                      fill={bar.color}
                    />
                  ) : null,
                ),
              )
            }
          </BarStack>
          <AxisLeft
            scale={yScale}
            // Whole messages only: a small range would otherwise be labelled 0.5, 1.0, 1.5 ….
            tickValues={yScale.ticks(4).filter(Number.isInteger)}
            tickFormat={(v) => Number(v).toLocaleString('en-US')}
            stroke="#94a3b8"
            tickStroke="#94a3b8"
            tickLabelProps={TICK}
          />
          <AxisBottom
            top={H - MARGIN.top - MARGIN.bottom}
            scale={xScale}
            tickValues={dayTicks}
            stroke="#94a3b8"
            tickStroke="#94a3b8"
            // The first day's label starts at its bar and the last one's ends there, inside the chart.
            tickLabelProps={(_, i) => ({ ...TICK, textAnchor: i === 0 ? 'start' : 'end' })}
          />
        </Group>
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
        {SERIES.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <svg aria-hidden="true" viewBox="0 0 12 12" className="size-3">
              <rect width="12" height="12" rx="2" fill={s.color} />
            </svg>
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Monday first, as a school week reads. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

export function Heatmap({ cells, summary }: { cells: TAnalyticsReport['heatmap']; summary: string }) {
  const value = new Map(cells.map((c) => [`${c.weekday}:${c.hour}`, c.messages]));
  const max = Math.max(1, ...cells.map((c) => c.messages));
  // One column per hour, one bin per weekday (rows, Monday on top).
  const columns = Array.from({ length: 24 }, (_, hour) => ({
    bin: hour,
    bins: WEEK_ORDER.map((weekday, row) => ({ bin: row, count: value.get(`${weekday}:${hour}`) ?? 0 })),
  }));
  const cell = { w: 26, h: 22 };
  const left = 40;
  const xScale = scaleLinear<number>({ domain: [0, 24], range: [0, 24 * cell.w] });
  const yScale = scaleLinear<number>({ domain: [0, 7], range: [0, 7 * cell.h] });
  const colorScale = scaleLinear<string>({ domain: [0, 1, max], range: ['#f1f5f9', '#dbe4fb', '#1d4ed8'] });
  return (
    <svg
      viewBox={`0 0 ${left + 24 * cell.w} ${7 * cell.h + 20}`}
      role="img"
      aria-label={summary}
      className="h-auto w-full"
    >
      <Group left={left}>
        <HeatmapRect
          data={columns}
          xScale={(i) => xScale(i) ?? 0}
          yScale={(i) => yScale(i) ?? 0}
          colorScale={colorScale}
          binWidth={cell.w}
          binHeight={cell.h}
          gap={2}
        >
          {(heatmap) =>
            heatmap.map((bins) =>
              bins.map((bin) => (
                <rect
                  key={`${bin.row}-${bin.column}`}
                  x={bin.x}
                  y={bin.y}
                  width={bin.width}
                  height={bin.height}
                  rx={3}
                  fill={bin.color}
                />
              )),
            )
          }
        </HeatmapRect>
      </Group>
      {WEEK_ORDER.map((wd, row) => (
        <text key={wd} x={left - 6} y={row * cell.h + 15} textAnchor="end" {...TICK}>
          {WEEKDAYS[wd]!.slice(0, 3)}
        </text>
      ))}
      {[0, 6, 12, 18].map((h) => (
        <text key={h} x={left + h * cell.w + 2} y={7 * cell.h + 14} {...TICK}>
          {String(h).padStart(2, '0')}:00
        </text>
      ))}
    </svg>
  );
}
