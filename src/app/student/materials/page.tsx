import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { listStudentClasses } from '@/classroom/student-queries';
import { getAppServices } from '@/server/services';
import { MaterialsBrowser } from '@/ui/materials/MaterialsBrowser';
import { PageHeader } from '@/ui/PageHeader';

export const metadata: Metadata = { title: 'Materials' };

export default async function StudentMaterialsPage() {
  const user = await requirePageUser('student', '/student/materials');
  const classes = await listStudentClasses(await getAppServices(), { userId: user.id });
  return (
    <>
      <PageHeader
        title="Materials"
        description="Files your instructors and classmates shared in your classes."
      />
      <MaterialsBrowser area="student" classes={classes.map((c) => ({ id: c.id, name: c.name }))} />
    </>
  );
}
