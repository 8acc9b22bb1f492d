import { formatDateTime, formatRelativeTime } from './format';

/** A <time> showing "5 minutes ago", with the exact date and time on hover. */
export function RelativeTime({ date, now }: { date: Date; now?: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)}>
      {formatRelativeTime(date, now)}
    </time>
  );
}
