import Link from 'next/link';
import type { Metadata } from 'next';
import { primaryButton } from '@/ui/buttons';
import { SignOutButton } from '@/ui/SignOutButton';

export const metadata: Metadata = { title: 'Access denied' };

// Rendered with a 403 when a signed-in user opens another role's area (forbidden() in the guards).
export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center px-6 py-16">
      <p className="text-sm font-semibold text-brand-700">403</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">
        You don&apos;t have access to this page
      </h1>
      <p className="mt-3 text-slate-700">
        Your account can&apos;t open this part of Classroom Messaging. If you think it should, ask your
        administrator, or sign in with a different account.
      </p>
      <div className="mt-6 flex flex-wrap items-start gap-3">
        <Link href="/" className={primaryButton}>
          Go to your home page
        </Link>
        <SignOutButton
          label="Sign in as someone else"
          className="inline-flex items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 disabled:opacity-70"
        />
      </div>
    </main>
  );
}
