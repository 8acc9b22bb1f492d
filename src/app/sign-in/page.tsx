import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '@/auth/guards';
import { homeFor } from '@/auth/session';
import { DEMO_INSTRUCTORS, DEMO_PASSWORD, DEMO_STUDENT, hasDemoAccounts } from '@/server/seed';
import { getAppServices } from '@/server/services';
import type { SearchParams } from '@/ui/params';
import { safeNextPath } from './safe-next';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNextPath((await searchParams).next);
  const user = await currentUser();
  if (user) redirect(next ?? homeFor(user));
  // Demo mode is a database holding the seeded demo accounts; a real deployment shows no hint.
  const demo = await hasDemoAccounts((await getAppServices()).db);

  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="text-center text-sm font-semibold tracking-wide text-brand-700">Classroom Messaging</p>
        <h1 className="mt-2 text-center text-2xl font-semibold tracking-tight text-slate-900">Sign in</h1>
        <div className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <SignInForm next={next} />
        </div>
        {demo ? (
          <aside
            aria-label="Demo accounts"
            data-testid="demo-hint"
            className="mt-4 rounded-lg border border-brand-200 bg-brand-50 px-4 py-3 text-sm text-brand-900"
          >
            <p className="font-semibold">Demo accounts (password: {DEMO_PASSWORD})</p>
            <ul className="mt-1 space-y-0.5 [overflow-wrap:anywhere]">
              <li>Instructor: {DEMO_INSTRUCTORS[0].email}</li>
              <li>Student: {DEMO_STUDENT.email}</li>
            </ul>
          </aside>
        ) : null}
      </div>
    </main>
  );
}
