import { formatDateTime, formatRelativeTime } from './format';

/** A <time> showing "5 minutes ago", with the exact date and time on hover. Takes a Date or an ISO string. */
export function RelativeTime({
  date,
  now,
  className,
}: {
  date: Date | string;
  now?: Date;
  className?: string;
}) {
  const at = date instanceof Date ? date : new Date(date);
  return (
    // Server and browser may disagree by a minute or a time zone: the browser's wins.
    <time
      dateTime={at.toISOString()}
      title={formatDateTime(at)}
      className={className}
      suppressHydrationWarning
    >
      {formatRelativeTime(at, now)}
    </time>
  );
}
