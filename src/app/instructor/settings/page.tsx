import type { Metadata } from 'next';
import { Email } from '@/ui/Email';
import { requirePageUser } from '@/auth/guards';
import { Card } from '@/ui/Card';
import { Notice, PageHeader } from '@/ui/PageHeader';
import { roleName } from '@/ui/UserBadge';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requirePageUser('instructor', '/instructor/settings');
  return (
    <>
      <PageHeader title="Settings" />
      <div className="max-w-2xl space-y-4">
        <Card title="Profile" titleId="profile-heading">
          <dl className="divide-y divide-slate-200 text-sm">
            <div className="grid gap-1 py-3 sm:grid-cols-3">
              <dt className="font-medium text-slate-600">Name</dt>
              <dd className="text-slate-900 sm:col-span-2">{user.name}</dd>
            </div>
            <div className="grid gap-1 py-3 sm:grid-cols-3">
              <dt className="font-medium text-slate-600">Email</dt>
              <dd className="text-slate-900 sm:col-span-2">
                <Email address={user.email} />
              </dd>
            </div>
            <div className="grid gap-1 py-3 sm:grid-cols-3">
              <dt className="font-medium text-slate-600">Role</dt>
              <dd className="text-slate-900 sm:col-span-2">{roleName(user.role)}</dd>
            </div>
          </dl>
        </Card>
        <Notice>Editing your profile and notification preferences comes in a later release.</Notice>
      </div>
    </>
  );
}
