import type { ReactNode } from 'react';
import { MessagingProvider } from '@/ui/messages/MessagingProvider';
import { UnreadBadge } from '@/ui/messages/UnreadBadge';
import { requirePageUser } from '@/auth/guards';
import { renderPosition } from '@/app/_messages/rendered-thread';
import { renderViewer } from '@/app/_messages/viewer';
import { SidebarShell } from '@/ui/AppShell';
import type { NavItem } from '@/ui/NavLinks';

// Everything here depends on who is signed in.
export const dynamic = 'force-dynamic';

const NAV: readonly NavItem[] = [
  { href: '/instructor/dashboard', label: 'Dashboard' },
  { href: '/instructor/messages', label: 'Messages', badge: <UnreadBadge /> },
  { href: '/instructor/classes', label: 'Classes' },
  { href: '/instructor/students', label: 'Students' },
  { href: '/instructor/analytics', label: 'Analytics' },
  { href: '/instructor/earnings', label: 'Earnings' },
  { href: '/instructor/materials', label: 'Materials' },
  { href: '/instructor/settings', label: 'Settings' },
];

export default async function InstructorLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser('instructor', '/instructor/dashboard');
  const [position, { viewer, browserZoneHint }] = await Promise.all([renderPosition(), renderViewer(user)]);
  return (
    <MessagingProvider
      viewer={viewer}
      browserZoneHint={browserZoneHint}
      area="instructor"
      position={position}
    >
      <SidebarShell user={user} homeHref="/instructor/dashboard" navLabel="Instructor" items={NAV}>
        {children}
      </SidebarShell>
    </MessagingProvider>
  );
}
