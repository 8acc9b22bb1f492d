import Link from 'next/link';
import type { ReactNode } from 'react';

export function Card({
  title,
  titleId,
  actions,
  children,
  className = '',
}: {
  title?: string;
  titleId?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={title ? titleId : undefined}
      className={`rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5 ${className}`}
    >
      {title || actions ? (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title ? (
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
          ) : null}
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  );
}

/** A grid of StatCards. */
export function StatGrid({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <ul className={`grid grid-cols-1 gap-4 sm:grid-cols-2 ${className}`}>{children}</ul>;
}

/**
 * One figure with its label. The number comes first in the DOM (read as "7, Unread messages"),
 * and `data-value` carries the raw number for tests.
 */
export function StatCard({
  label,
  value,
  display,
  testId,
  hint,
  href,
}: {
  label: string;
  value: number;
  /** How the figure reads when it is not just the number ("999+"); data-value keeps the number. */
  display?: string;
  testId?: string;
  hint?: string;
  href?: string;
}) {
  return (
    <li
      data-testid={testId}
      data-value={value}
      className="flex flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <span className="text-3xl font-semibold tabular-nums text-slate-900">
        {display ?? value.toLocaleString('en-US')}
      </span>
      <span className="mt-1 text-sm font-medium text-slate-600"> {label}</span>
      {hint || href ? (
        <span className="mt-2 text-sm text-slate-600">
          {href ? (
            <Link href={href} className="font-medium text-brand-700 underline-offset-2 hover:underline">
              {hint ?? 'View'}
            </Link>
          ) : (
            hint
          )}
        </span>
      ) : null}
    </li>
  );
}
