import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { PageHeader } from '@/ui/PageHeader';
import { SettingsForm } from '@/ui/settings/SettingsForm';

export const metadata: Metadata = { title: 'Settings' };

export default async function StudentSettingsPage() {
  await requirePageUser('student', '/student/settings');
  return (
    <>
      <PageHeader title="Settings" />
      <SettingsForm area="student" />
    </>
  );
}
