'use client';
// The analytics page: a range (7/30/90 days or custom) and a class filter, read in the viewer's time
// zone (the profile's, else the browser's) from GET /api/instructor/analytics; every chart has its figures in a table, and every table
// a CSV export.
import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import type { TAnalyticsReport } from '@/classroom/analytics-report';
import { ApiError, errorMessage, getJson, isAbort } from '@/ui/messages/api';
import { secondaryButton } from '@/ui/buttons';
import { timeFormat } from '@/ui/time-format';
import { useTimeZone } from '@/ui/use-time-format';
import { DailyBars, Heatmap, SERIES, WEEKDAYS } from './charts';
import { ReportTable } from './ReportTable';

type Range = '7' | '30' | '90' | 'custom';

interface Filters {
  range: Range;
  from: string;
  to: string;
  classId: string;
}

/** The answer to one request; its key names the filters and the attempt it was made for. */
type Answer = { key: string } & (
  { kind: 'error'; message: string } | { kind: 'ready'; report: TAnalyticsReport }
);

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

const percent = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : '—');

export function AnalyticsDashboard({ platform }: { platform: boolean }) {
  const [filters, setFilters] = useState<Filters>({ range: '30', from: '', to: '', classId: '' });
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [attempt, setAttempt] = useState(0);
  const zone = useTimeZone();
  const incomplete = filters.range === 'custom' && !(filters.from && filters.to);
  const key = JSON.stringify([filters, attempt]);
  // Until the answer for the current filters arrives, the page says it is loading.
  const state = answer?.key === key ? answer : ({ kind: 'loading' } as const);

  useEffect(() => {
    if (incomplete) return;
    const abort = new AbortController();
    getJson<TAnalyticsReport>(
      '/api/instructor/analytics',
      {
        range: filters.range,
        from: filters.range === 'custom' ? filters.from : undefined,
        to: filters.range === 'custom' ? filters.to : undefined,
        classId: filters.classId || undefined,
        tz: zone,
      },
      abort.signal,
    ).then(
      (report) => setAnswer({ key, kind: 'ready', report }),
      (err: unknown) => {
        if (isAbort(err)) return;
        const fields =
          err instanceof ApiError && err.fields ? Object.values(err.fields).flat().join(' ') : '';
        setAnswer({ key, kind: 'error', message: fields || errorMessage(err) });
      },
    );
    return () => abort.abort();
  }, [filters, zone, key, incomplete]);

  const time = timeFormat(zone).dateTime;
  // The last answer's classes stay in the filter while the next one loads.
  const classes = answer?.kind === 'ready' ? answer.report.classes : [];

  return (
    <div className="space-y-8">
      <form
        className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Analytics filters"
      >
        <Field label="Range">
          <select
            value={filters.range}
            onChange={(e) => setFilters((f) => ({ ...f, range: e.target.value as Range }))}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
            <option value="custom">Custom…</option>
          </select>
        </Field>
        {filters.range === 'custom' && (
          <>
            <Field label="From">
              <input
                type="date"
                value={filters.from}
                onChange={(e) => setFilters((f) => ({ ...f, from: e.target.value }))}
                className="rounded-md border border-slate-300 px-2 py-1 text-sm"
              />
            </Field>
            <Field label="To">
              <input
                type="date"
                value={filters.to}
                onChange={(e) => setFilters((f) => ({ ...f, to: e.target.value }))}
                className="rounded-md border border-slate-300 px-2 py-1 text-sm"
              />
            </Field>
          </>
        )}
        <Field label="Class">
          <select
            value={filters.classId}
            onChange={(e) => setFilters((f) => ({ ...f, classId: e.target.value }))}
            className="max-w-[16rem] rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="">{platform ? 'All classes (platform)' : 'All my classes'}</option>
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.code})
              </option>
            ))}
          </select>
        </Field>
        <p className="text-xs text-slate-600">Times in {zone}</p>
      </form>

      {incomplete ? (
        <p className="text-sm text-slate-600">Choose both dates of the custom range.</p>
      ) : state.kind === 'loading' ? (
        <div role="status" aria-live="polite" className="space-y-3">
          <span className="sr-only">Loading analytics…</span>
          {[0, 1, 2].map((i) => (
            <div
              key={i}
              aria-hidden="true"
              className="h-40 animate-pulse rounded-xl bg-slate-200 motion-reduce:animate-none"
            />
          ))}
        </div>
      ) : state.kind === 'error' ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
          <p>{state.message}</p>
          <button
            type="button"
            className={`${secondaryButton} mt-3`}
            onClick={() => setAttempt((n) => n + 1)}
          >
            Try again
          </button>
        </div>
      ) : (
        <Report report={state.report} time={time} />
      )}
    </div>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
      {label}
      {children}
    </label>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Report({ report, time }: { report: TAnalyticsReport; time: (iso: string) => string }) {
  const { range } = report;
  const tag = `${range.from}_${range.to}`;
  const total = (key: (typeof SERIES)[number]['key']) => report.perDay.reduce((n, d) => n + d[key], 0);
  const sent = total('sentDirect') + total('sentClass');
  const received = total('receivedDirect') + total('receivedClass');
  const heatTotal = report.heatmap.reduce((n, c) => n + c.messages, 0);
  const busiest = [...report.heatmap].sort((a, b) => b.messages - a.messages)[0];
  const who = report.scope === 'platform' ? 'by staff' : 'by you';
  const e = report.engagement;

  return (
    <>
      <Section id="per-day-heading" title="Messages per day">
        <p className="text-sm text-slate-600">
          {range.from} to {range.to}: {sent} sent {who}, {received} received
          {report.scope === 'platform' ? ' from students' : ''}.
        </p>
        <DailyBars
          days={report.perDay}
          summary={`Messages per day from ${range.from} to ${range.to}: ${sent} sent, ${received} received. The figures are in the table below.`}
        />
        <details>
          <summary className="cursor-pointer text-sm font-medium text-brand-800">
            Messages per day as a table
          </summary>
          <div className="mt-2">
            <ReportTable
              caption="Messages per day"
              filename={`messages-per-day_${tag}.csv`}
              header={['Day', ...SERIES.map((s) => s.label)]}
              rows={report.perDay.map((d) => ({
                key: d.day,
                values: [d.day, ...SERIES.map((s) => d[s.key])],
              }))}
              empty="No days in this range."
            />
          </div>
        </details>
      </Section>

      <Section id="heatmap-heading" title="When messages are sent (hour × weekday)">
        {heatTotal === 0 ? (
          <p className="text-sm text-slate-600">No messages in this range.</p>
        ) : (
          <Heatmap
            cells={report.heatmap}
            summary={`Messages by hour and weekday, ${heatTotal} in all${
              busiest
                ? `; busiest: ${WEEKDAYS[busiest.weekday]} ${busiest.hour}:00 with ${busiest.messages}`
                : ''
            }. The figures are in the table below.`}
          />
        )}
        <details>
          <summary className="cursor-pointer text-sm font-medium text-brand-800">
            Hour × weekday as a table
          </summary>
          <div className="mt-2">
            <ReportTable
              caption="Messages by weekday and hour"
              filename={`hour-by-weekday_${tag}.csv`}
              header={['Weekday', 'Hour', 'Messages']}
              rows={report.heatmap.map((c) => ({
                key: `${c.weekday}:${c.hour}`,
                values: [WEEKDAYS[c.weekday]!, `${String(c.hour).padStart(2, '0')}:00`, c.messages],
              }))}
              empty="No messages in this range."
            />
          </div>
        </details>
      </Section>

      <Section id="response-heading" title="Instructor response time">
        <p className="text-sm text-slate-600">
          From each student message to the next message by an instructor in the same conversation (any
          instructor of it counts). Weeks start on Monday.
        </p>
        <ReportTable
          caption="Instructor response time per class and week"
          filename={`response-times_${tag}.csv`}
          header={['Class', 'Week', 'Student messages', 'Answered', 'Median', '90th percentile']}
          rows={report.responseTimes.map((r) => ({
            key: `${r.classId ?? 'direct'}:${r.week ?? 'all'}`,
            values: [
              r.className,
              r.week ?? 'Whole range',
              r.asked,
              r.answered,
              r.medianSeconds,
              r.p90Seconds,
            ],
            cells: [
              r.week ? r.className : <strong key="c">{r.className}</strong>,
              r.week ?? <strong key="w">Whole range</strong>,
              r.asked,
              r.answered,
              duration(r.medianSeconds),
              duration(r.p90Seconds),
            ],
          }))}
          empty="No student messages in this range."
        />
      </Section>

      <Section id="unanswered-heading" title="Unanswered for more than 48 hours">
        <ReportTable
          caption="Student messages unanswered for more than 48 hours"
          filename="unanswered.csv"
          header={['Asked', 'Student', 'Conversation', 'Message']}
          rows={report.unanswered.items.map((u) => ({
            key: u.messageId,
            values: [u.askedAt, u.studentName, u.threadTitle, u.preview],
            cells: [
              time(u.askedAt),
              u.studentName,
              <Link
                key="l"
                className="font-medium text-brand-800 underline"
                href={`/instructor/messages?thread=${encodeURIComponent(u.threadId)}&message=${encodeURIComponent(u.messageId)}`}
              >
                {u.threadTitle}
              </Link>,
              u.preview,
            ],
          }))}
          empty="Nothing is waiting: every student message older than 48 hours has an answer."
        />
        {report.unanswered.total > report.unanswered.items.length && (
          <p className="text-sm text-slate-600">
            The newest {report.unanswered.items.length} of {report.unanswered.total} are shown.
          </p>
        )}
      </Section>

      <Section
        id="engagement-heading"
        title={e ? `Student engagement: ${e.className}` : 'Student engagement'}
      >
        {!e ? (
          <p className="text-sm text-slate-600">Choose a class above to see its engagement.</p>
        ) : (
          <>
            <h3 className="text-base font-semibold text-slate-900">Announcements read</h3>
            <ReportTable
              caption={`Announcements of ${e.className} and who read them`}
              filename={`announcements_${tag}.csv`}
              header={[
                'Sent',
                'Thread',
                'Announcement',
                'Students',
                'Read within 24 h',
                'Read ever',
                'Not read',
              ]}
              rows={e.announcements.map((a) => ({
                key: a.messageId,
                values: [
                  a.sentAt,
                  a.title,
                  a.preview,
                  a.recipients,
                  a.readWithin24h,
                  a.readEver,
                  a.notReadIds.length,
                ],
                cells: [
                  time(a.sentAt),
                  a.title,
                  a.preview,
                  a.recipients,
                  `${a.readWithin24h} (${percent(a.readWithin24h, a.recipients)})`,
                  `${a.readEver} (${percent(a.readEver, a.recipients)})`,
                  <NotRead key="n" ids={a.notReadIds} classId={e.classId} />,
                ],
              }))}
              empty="No announcements in this range."
            />
            <h3 className="text-base font-semibold text-slate-900">Who replied in discussions</h3>
            <ReportTable
              caption={`Students who replied in ${e.className} discussions`}
              filename={`repliers_${tag}.csv`}
              header={['Student', 'Replies', 'Last reply']}
              rows={e.repliers.map((r) => ({
                key: r.studentId,
                values: [r.name, r.replies, r.lastReplyAt],
                cells: [r.name, r.replies, time(r.lastReplyAt)],
              }))}
              empty="No student replied in a discussion in this range."
            />
            <h3 className="text-base font-semibold text-slate-900">Students</h3>
            <ReportTable
              caption={`Students of ${e.className}`}
              filename={`students_${e.className.replace(/\W+/g, '-')}.csv`}
              header={['Student', 'Last active', 'Unread backlog', 'Announcements unread']}
              rows={e.students.map((s) => ({
                key: s.studentId,
                values: [s.name, s.lastActiveAt, s.unreadBacklog, s.announcementsUnread],
                cells: [
                  s.name,
                  s.lastActiveAt ? time(s.lastActiveAt) : 'Never',
                  s.unreadBacklog,
                  s.announcementsUnread,
                ],
              }))}
              empty="No students are enrolled."
            />
          </>
        )}
      </Section>

      <p className="text-xs text-slate-600">
        Figures come from rollups kept up to date every few seconds
        {report.freshness.updatedAt ? `; last updated ${time(report.freshness.updatedAt)}` : ''}.
      </p>
    </>
  );
}

/** Who has not read an announcement, each with a link that opens the composer with them chosen. */
function NotRead({ ids, classId }: { ids: readonly string[]; classId: string }) {
  if (ids.length === 0) return <>Everyone read it</>;
  // Send individually, with exactly these students chosen (each gets it in their own conversation).
  const query = new URLSearchParams([['classId', classId], ...ids.map((id) => ['to', id])]);
  return (
    <Link className="font-medium text-brand-800 underline" href={`/instructor/messages/individual?${query}`}>
      Message those who have not read it ({ids.length})
    </Link>
  );
}
