import type { Metadata } from 'next';
import Link from 'next/link';
import { currentUser } from '@/auth/guards';
import { homeFor } from '@/auth/session';
import { primaryButton } from '@/ui/buttons';
import { SignOutButton } from '@/ui/SignOutButton';

export const metadata: Metadata = { title: 'Sign out' };

/** A page of its own for signing out (linkable, and usable without the app shell). */
export default async function SignOutPage() {
  const user = await currentUser();
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 text-center shadow-sm">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Sign out</h1>
        {user ? (
          <>
            <p className="mt-3 text-slate-700">
              You are signed in as <strong>{user.name}</strong> ({user.email}).
            </p>
            <div className="mt-6 flex flex-col gap-3">
              <SignOutButton className={`${primaryButton} w-full`} />
              <Link href={homeFor(user)} className="text-sm font-medium text-brand-700 underline">
                Stay signed in
              </Link>
            </div>
          </>
        ) : (
          <>
            <p className="mt-3 text-slate-700">You are signed out.</p>
            <Link href="/sign-in" className={`${primaryButton} mt-6 w-full`}>
              Sign in
            </Link>
          </>
        )}
      </div>
    </main>
  );
}
