'use client';
// The instructor sidebar: always visible from the md breakpoint up; on a phone it collapses behind a
// "Menu" button in a top bar and closes again on navigation.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useId, useState, type ReactNode } from 'react';
import { NavLinks, type NavItem } from './NavLinks';

export function SidebarNav({
  homeHref,
  navLabel,
  items,
  footer,
}: {
  homeHref: string;
  navLabel: string;
  items: readonly NavItem[];
  /** Shown under the links (the signed-in user and the sign-out button). */
  footer: ReactNode;
}) {
  const pathname = usePathname();
  // Remember where the menu was opened, so moving to another page closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const panelId = useId();

  return (
    <div className="flex flex-col md:h-full">
      <div className="flex h-14 items-center justify-between gap-3 px-4 md:h-16 md:px-5">
        <Link href={homeHref} className="rounded-md text-base font-semibold tracking-tight text-slate-900">
          Classroom Messaging
        </Link>
        <button
          type="button"
          className="inline-flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 md:hidden"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpenOn(open ? null : pathname)}
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
            {open ? (
              <path d="M5.3 4.3a1 1 0 0 1 1.4 0L10 7.6l3.3-3.3a1 1 0 1 1 1.4 1.4L11.4 9l3.3 3.3a1 1 0 0 1-1.4 1.4L10 10.4l-3.3 3.3a1 1 0 0 1-1.4-1.4L8.6 9 5.3 5.7a1 1 0 0 1 0-1.4Z" />
            ) : (
              <path d="M3 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm0 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm1 4a1 1 0 1 0 0 2h12a1 1 0 1 0 0-2H4Z" />
            )}
          </svg>
          Menu
        </button>
      </div>
      <div
        id={panelId}
        className={`${open ? 'flex' : 'hidden'} flex-1 flex-col gap-4 border-t border-slate-200 px-3 pt-3 pb-4 md:flex md:border-t-0 md:px-3`}
      >
        <nav aria-label={navLabel}>
          <NavLinks items={items} />
        </nav>
        <div className="border-t border-slate-200 px-2 pt-4 md:mt-auto">{footer}</div>
      </div>
    </div>
  );
}
