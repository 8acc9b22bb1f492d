import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { PageHeader } from '@/ui/PageHeader';
import { SettingsForm } from '@/ui/settings/SettingsForm';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await requirePageUser('instructor', '/instructor/settings');
  return (
    <>
      <PageHeader title="Settings" />
      <SettingsForm area="instructor" />
    </>
  );
}
