// The analytics charts, drawn as plain SVG: two chart kinds (stacked bars, a heatmap) did not justify
// a chart library's weight in the page's JS budget. Each chart is an image with a text summary; the
// figures themselves are in the table beside it (ReportTable), which screen readers use.
import type { TAnalyticsReport } from '@/classroom/analytics-report';

type Day = TAnalyticsReport['perDay'][number];

export const SERIES = [
  { key: 'sentDirect', label: 'Sent, direct', color: '#1d4ed8' },
  { key: 'sentClass', label: 'Sent, class', color: '#60a5fa' },
  { key: 'receivedDirect', label: 'Received, direct', color: '#b45309' },
  { key: 'receivedClass', label: 'Received, class', color: '#fbbf24' },
] as const;

const W = 720;
const H = 200;
const PAD = { left: 36, bottom: 22, top: 8 };

export function DailyBars({ days, summary }: { days: readonly Day[]; summary: string }) {
  const totals = days.map((d) => SERIES.reduce((n, s) => n + d[s.key], 0));
  const max = Math.max(1, ...totals);
  const plotW = W - PAD.left;
  const plotH = H - PAD.bottom - PAD.top;
  const step = plotW / Math.max(1, days.length);
  const barW = Math.max(1, step * 0.75);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="h-auto w-full">
        <line x1={PAD.left} x2={W} y1={y(0)} y2={y(0)} stroke="#94a3b8" />
        <text x={PAD.left - 6} y={y(max) + 4} textAnchor="end" fontSize="11" fill="#475569">
          {max}
        </text>
        <text x={PAD.left - 6} y={y(0)} textAnchor="end" fontSize="11" fill="#475569">
          0
        </text>
        {days.map((d, i) => {
          let base = 0;
          return (
            <g key={d.day}>
              {SERIES.map((s) => {
                const v = d[s.key];
                if (!v) return null;
                const rect = (
                  <rect
                    key={s.key}
                    x={PAD.left + i * step + (step - barW) / 2}
                    width={barW}
                    y={y(base + v)}
                    height={y(base) - y(base + v)}
                    fill={s.color}
                  />
                );
                base += v;
                return rect;
              })}
            </g>
          );
        })}
        {days.length > 0 && (
          <>
            <text x={PAD.left} y={H - 6} fontSize="11" fill="#475569">
              {days[0]!.day}
            </text>
            <text x={W} y={H - 6} fontSize="11" fill="#475569" textAnchor="end">
              {days[days.length - 1]!.day}
            </text>
          </>
        )}
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

export function Heatmap({ cells, summary }: { cells: TAnalyticsReport['heatmap']; summary: string }) {
  const max = Math.max(1, ...cells.map((c) => c.messages));
  const value = new Map(cells.map((c) => [`${c.weekday}:${c.hour}`, c.messages]));
  const cw = 26;
  const ch = 22;
  const left = 40;
  // Monday first, as a school week reads.
  const order = [1, 2, 3, 4, 5, 6, 0];
  return (
    <svg
      viewBox={`0 0 ${left + 24 * cw} ${7 * ch + 20}`}
      role="img"
      aria-label={summary}
      className="h-auto w-full"
    >
      {order.map((wd, row) => (
        <g key={wd}>
          <text x={left - 6} y={row * ch + 15} textAnchor="end" fontSize="11" fill="#475569">
            {WEEKDAYS[wd]!.slice(0, 3)}
          </text>
          {Array.from({ length: 24 }, (_, h) => {
            const v = value.get(`${wd}:${h}`) ?? 0;
            return (
              <rect
                key={h}
                x={left + h * cw + 1}
                y={row * ch + 1}
                width={cw - 2}
                height={ch - 2}
                rx="3"
                fill={v ? '#1d4ed8' : '#f1f5f9'}
                fillOpacity={v ? 0.15 + 0.85 * (v / max) : 1}
              />
            );
          })}
        </g>
      ))}
      {[0, 6, 12, 18].map((h) => (
        <text key={h} x={left + h * cw + 2} y={7 * ch + 14} fontSize="11" fill="#475569">
          {String(h).padStart(2, '0')}:00
        </text>
      ))}
    </svg>
  );
}
