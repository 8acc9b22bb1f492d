'use client';
// Navigation links that mark the current page with aria-current="page".
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem {
  href: string;
  label: string;
  /** Current only on this exact path (for an area's home, e.g. /student). */
  exact?: boolean;
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
  const list = orientation === 'vertical' ? 'flex flex-col gap-1' : 'flex flex-wrap items-center gap-1';
  return (
    <ul className={list}>
      {items.map((item) => {
        const current = isCurrentPath(pathname, item);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={current ? 'page' : undefined}
              className={`block rounded-lg px-3 py-2 text-sm font-medium ${
                current
                  ? 'bg-brand-50 text-brand-800 ring-1 ring-brand-200 ring-inset'
                  : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900'
              }`}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
