import Link from 'next/link';
import type { ReactNode } from 'react';
import { MessagingProvider } from '@/ui/messages/MessagingProvider';
import { UnreadBadge } from '@/ui/messages/UnreadBadge';
import { requirePageUser } from '@/auth/guards';
import { renderPosition } from '@/app/_messages/rendered-thread';
import { renderViewer } from '@/app/_messages/viewer';
import { SkipLink } from '@/ui/AppShell';
import { NavLinks, type NavItem } from '@/ui/NavLinks';
import { SignOutButton } from '@/ui/SignOutButton';
import { UserBadge } from '@/ui/UserBadge';

// Everything here depends on who is signed in.
export const dynamic = 'force-dynamic';

const NAV: readonly NavItem[] = [
  { href: '/student', label: 'Home', exact: true },
  { href: '/student/messages', label: 'Messages', badge: <UnreadBadge /> },
  { href: '/student/materials', label: 'Materials' },
  { href: '/student/settings', label: 'Settings' },
];

export default async function StudentLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser('student', '/student');
  const [position, { viewer, browserZoneHint }] = await Promise.all([renderPosition(), renderViewer(user)]);
  return (
    <MessagingProvider viewer={viewer} browserZoneHint={browserZoneHint} area="student" position={position}>
      <div className="min-h-dvh">
        <SkipLink />
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
            <Link
              href="/student"
              className="rounded-md text-base font-semibold tracking-tight text-slate-900"
            >
              Classroom Messaging
            </Link>
            <nav aria-label="Student" className="order-last w-full sm:order-none sm:w-auto">
              <NavLinks items={NAV} orientation="horizontal" />
            </nav>
            <div className="ml-auto flex items-center gap-3">
              <div className="hidden sm:block">
                <UserBadge user={user} />
              </div>
              <span className="sr-only sm:hidden">Signed in as {user.name}</span>
              <SignOutButton className="inline-flex items-center justify-center rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 disabled:opacity-70" />
            </div>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-6 outline-none sm:px-6 sm:py-8">
          {children}
        </main>
      </div>
    </MessagingProvider>
  );
}
