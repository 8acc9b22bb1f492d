'use client';
import { useTimeFormat } from './use-time-format';

/** A <time> showing "5 minutes ago", with the exact date and time on hover, in the viewer's zone. Takes a Date or an ISO string. */
export function RelativeTime({
  date,
  now,
  className,
}: {
  date: Date | string;
  now?: Date;
  className?: string;
}) {
  const dates = useTimeFormat();
  const at = date instanceof Date ? date : new Date(date);
  return (
    // Server and browser may disagree by a minute: the browser's wins.
    <time
      dateTime={at.toISOString()}
      title={dates.dateTime(at)}
      className={className}
      suppressHydrationWarning
    >
      {dates.relative(at, now ?? new Date())}
    </time>
  );
}

/** A <time> showing the date ("Mar 5, 2025") in the viewer's zone; server components use it too. */
export function LocalDate({ date, className }: { date: Date | string; className?: string }) {
  const at = date instanceof Date ? date : new Date(date);
  return (
    <time dateTime={at.toISOString()} className={className}>
      {useTimeFormat().date(at)}
    </time>
  );
}
