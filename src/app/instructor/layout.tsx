import type { ReactNode } from 'react';
import { requirePageUser } from '@/auth/guards';
import { SidebarShell } from '@/ui/AppShell';
import type { NavItem } from '@/ui/NavLinks';

// Everything here depends on who is signed in.
export const dynamic = 'force-dynamic';

const NAV: readonly NavItem[] = [
  { href: '/instructor/dashboard', label: 'Dashboard' },
  { href: '/instructor/messages', label: 'Messages' },
  { href: '/instructor/classes', label: 'Classes' },
  { href: '/instructor/students', label: 'Students' },
  { href: '/instructor/analytics', label: 'Analytics' },
  { href: '/instructor/earnings', label: 'Earnings' },
  { href: '/instructor/materials', label: 'Materials' },
  { href: '/instructor/settings', label: 'Settings' },
];

export default async function InstructorLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser('instructor', '/instructor/dashboard');
  return (
    <SidebarShell user={user} homeHref="/instructor/dashboard" navLabel="Instructor" items={NAV}>
      {children}
    </SidebarShell>
  );
}
