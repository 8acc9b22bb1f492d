import Link from 'next/link';
import type { ReactNode } from 'react';

export interface PageLink {
  href: string;
  label: string;
}

const linkClass =
  'inline-flex items-center rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50';
const disabledClass =
  'inline-flex items-center rounded-lg border border-slate-200 bg-slate-50 px-3 py-1.5 text-sm font-medium text-slate-500';

/** Previous/next links with an optional summary ("Showing 1–20 of 42"). Missing links render disabled. */
export function Pagination({
  label = 'Pagination',
  summary,
  previous,
  next,
  previousLabel = 'Previous',
  nextLabel = 'Next',
}: {
  label?: string;
  summary?: ReactNode;
  previous?: PageLink | null;
  next?: PageLink | null;
  /** Shown (disabled) when there is no previous link. */
  previousLabel?: string;
  nextLabel?: string;
}) {
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-slate-600" aria-live="polite">
        {summary}
      </p>
      <div className="flex gap-2">
        {previous ? (
          <Link href={previous.href} className={linkClass} rel="prev">
            <span aria-hidden="true">←&nbsp;</span>
            {previous.label}
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            <span aria-hidden="true">←&nbsp;</span>
            {previousLabel}
          </span>
        )}
        {next ? (
          <Link href={next.href} className={linkClass} rel="next">
            {next.label}
            <span aria-hidden="true">&nbsp;→</span>
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            {nextLabel}
            <span aria-hidden="true">&nbsp;→</span>
          </span>
        )}
      </div>
    </nav>
  );
}

/** "Showing 21–40 of 57" for offset pagination. */
export function rangeSummary(page: number, pageSize: number, shown: number, total: number): string {
  if (total === 0 || shown === 0) return `Showing 0 of ${total.toLocaleString('en-US')}`;
  const from = (page - 1) * pageSize + 1;
  const to = from + shown - 1;
  return `Showing ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
}
