// The "Message" button of rosters and class cards: opens the messages page addressed to one person
// (their existing conversation, or a new one), named for screen readers.
import Link from 'next/link';

export function MessageLink({
  href,
  name,
  label = 'Message',
}: {
  href: string;
  name: string;
  label?: string;
}) {
  return (
    <Link
      href={href}
      className="inline-flex items-center rounded-lg border border-slate-300 bg-white px-2.5 py-1 text-xs font-semibold whitespace-nowrap text-brand-800 hover:bg-slate-50"
    >
      {label}
      <span className="sr-only"> {name}</span>
    </Link>
  );
}
