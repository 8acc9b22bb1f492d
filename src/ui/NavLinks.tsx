'use client';
// Navigation links that mark the current page with aria-current="page".
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useId, type ReactNode } from 'react';

export interface NavItem {
  href: string;
  label: string;
  /** Current only on this exact path (for an area's home, e.g. /student). */
  exact?: boolean;
  /**
   * Shown after the label (e.g. an unread count). It describes the link (aria-describedby) rather
   * than joining its name, so the link stays named by its label alone.
   */
  badge?: ReactNode;
}

export function isCurrentPath(pathname: string, item: NavItem): boolean {
  if (pathname === item.href) return true;
  return !item.exact && pathname.startsWith(`${item.href}/`);
}

export function NavLinks({
  items,
  orientation = 'vertical',
}: {
  items: readonly NavItem[];
  orientation?: 'vertical' | 'horizontal';
}) {
  const pathname = usePathname();
  const baseId = useId();
  const horizontal = orientation === 'horizontal';
  // On a phone the top bar keeps one row (the messages screen's height counts on it): tighter
  // links, and the row scrolls itself rather than wrapping if a language's labels are longer.
  const list = horizontal
    ? 'flex flex-nowrap items-center gap-0.5 overflow-x-auto sm:gap-1'
    : 'flex flex-col gap-1';
  return (
    <ul className={list}>
      {items.map((item, i) => {
        const current = isCurrentPath(pathname, item);
        const badgeId = item.badge ? `${baseId}-badge-${i}` : undefined;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={current ? 'page' : undefined}
              aria-describedby={badgeId}
              className={`flex items-center justify-between gap-2 rounded-lg py-2 text-sm font-medium whitespace-nowrap ${
                horizontal ? 'px-2 sm:px-3' : 'px-3'
              } ${
                current
                  ? 'bg-brand-50 text-brand-800 ring-1 ring-brand-200 ring-inset'
                  : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900'
              }`}
            >
              {item.label}
              {item.badge ? (
                // Hidden from the link's name; read as its description through aria-describedby.
                <span id={badgeId} aria-hidden="true" className="empty:hidden">
                  {item.badge}
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
