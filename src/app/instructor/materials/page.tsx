import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { listInstructorClasses } from '@/classroom/instructor-queries';
import { getAppServices } from '@/server/services';
import { MaterialsBrowser } from '@/ui/materials/MaterialsBrowser';
import { PageHeader } from '@/ui/PageHeader';

export const metadata: Metadata = { title: 'Materials' };

export default async function MaterialsPage() {
  const user = await requirePageUser('instructor', '/instructor/materials');
  const classes = await listInstructorClasses(await getAppServices(), { userId: user.id });
  return (
    <>
      <PageHeader
        title="Materials"
        description="Every file shared in your classes' conversations, newest first."
      />
      <MaterialsBrowser
        area="instructor"
        classes={classes.map((c) => ({ id: c.id, name: c.name, canShare: c.isPrimary }))}
      />
    </>
  );
}
