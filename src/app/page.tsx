import { redirect } from 'next/navigation';
import { currentUser } from '@/auth/guards';
import { homeFor } from '@/auth/session';

// The root only routes: to the signed-in user's home, or to sign-in.
export default async function Home() {
  const user = await currentUser();
  redirect(user ? homeFor(user) : '/sign-in');
}
