import Link from 'next/link';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/auth/guards';
import { getBatchRollup } from '@/messaging/batch-rollup';
import { ZId } from '@/messaging/ids';
import { AppError } from '@/platform/errors';
import { getAppServices } from '@/server/services';
import { PageHeader } from '@/ui/PageHeader';
import { BatchRollup } from '@/ui/messages/individual/BatchRollup';

export const metadata: Metadata = { title: 'Who has read it' };

export default async function BatchRollupPage({ params }: { params: Promise<{ batchId: string }> }) {
  const { batchId } = await params;
  const user = await requirePageUser('instructor', `/instructor/messages/individual/${batchId}`);
  if (!ZId.safeParse(batchId).success) notFound();
  const ctx = await getAppServices();
  const rollup = await getBatchRollup(ctx, { userId: user.id, batchId }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') notFound();
    throw err;
  });
  return (
    <>
      <PageHeader
        title={rollup.nudgeThreadId ? 'Reminder: who has read it' : 'Sent individually: who has read it'}
        description={rollup.content}
      />
      {rollup.nudgeThreadId ? (
        <p className="mb-3 text-sm">
          <Link
            href={`/instructor/messages?thread=${encodeURIComponent(rollup.nudgeThreadId)}`}
            className="font-medium text-brand-800 underline underline-offset-2"
          >
            Open the announcement
          </Link>
        </p>
      ) : null}
      <BatchRollup initial={rollup} />
    </>
  );
}
