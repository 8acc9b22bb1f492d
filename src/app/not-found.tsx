import Link from 'next/link';
import type { Metadata } from 'next';
import { primaryButton } from '@/ui/buttons';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center px-6 py-16">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">
        Page not found
      </h1>
      <p className="mt-3 text-slate-700">
        The page you asked for doesn&apos;t exist or has moved. Check the address, or start again from your
        home page.
      </p>
      <div className="mt-6">
        <Link href="/" className={primaryButton}>
          Go to your home page
        </Link>
      </div>
    </main>
  );
}
