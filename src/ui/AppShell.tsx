import type { ReactNode } from 'react';
import type { SessionUser } from '@/auth/session';
import type { NavItem } from './NavLinks';
import { SidebarNav } from './SidebarNav';
import { SignOutButton } from './SignOutButton';
import { UserBadge } from './UserBadge';

export function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only rounded-lg bg-white px-4 py-2 text-sm font-semibold text-brand-800 shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
    >
      Skip to main content
    </a>
  );
}

/** Sidebar layout (top bar with a menu on phones) used by the instructor area. */
export function SidebarShell({
  user,
  homeHref,
  navLabel,
  items,
  children,
}: {
  user: SessionUser;
  homeHref: string;
  navLabel: string;
  items: readonly NavItem[];
  children: ReactNode;
}) {
  return (
    <div className="min-h-dvh md:grid md:grid-cols-[15rem_minmax(0,1fr)]">
      <SkipLink />
      <header className="sticky top-0 z-30 max-h-dvh overflow-y-auto border-b border-slate-200 bg-white md:h-dvh md:border-r md:border-b-0">
        <SidebarNav
          homeHref={homeHref}
          navLabel={navLabel}
          items={items}
          footer={
            <div className="flex flex-col gap-3">
              <UserBadge user={user} />
              <SignOutButton />
            </div>
          }
        />
      </header>
      <main id="main" tabIndex={-1} className="min-w-0 px-4 py-6 outline-none sm:px-6 md:px-8 md:py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
