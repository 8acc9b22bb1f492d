'use client';
// Signs out through better-auth, closes the tab's realtime connection, then goes to sign-in and
// drops the router's cached signed-in pages.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { secondaryButton } from './buttons';
import { closeMessagingClient } from './messages/MessagingProvider';

export function SignOutButton({ label = 'Sign out', className }: { label?: string; className?: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOut() {
    setPending(true);
    setError(null);
    try {
      await fetch('/api/auth/sign-out', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      // The tab's socket was authenticated as this user: it must not outlive the session.
      closeMessagingClient();
      router.replace('/sign-in');
      router.refresh();
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
      setPending(false);
    }
  }

  return (
    <div>
      <button
        type="button"
        onClick={signOut}
        disabled={pending}
        aria-busy={pending}
        className={className ?? `${secondaryButton} w-full`}
      >
        {pending ? 'Signing out…' : label}
      </button>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
