// The seeded demo accounts the API specs sign in as, and signing in over the API.
import { expect, type APIRequestContext } from '@playwright/test';

export const PASSWORD = 'classroom-demo';
export const JONAS = 'jonas.okafor@example.edu';
export const LENA = 'lena.novak@example.edu';
export const SAM = 'sam.rivera@example.edu';
export const BEN = 'ben.cohen@example.edu';
export const AVA = 'ava.walsh@example.edu';
// The messaging UI specs (messaging-ui*.spec.ts), one account per scenario so parallel specs do not
// read each other's threads. Grace, Diego, Hannah, Ravi and Nora take Biology only (DIRECT threads
// with Jonas); Priya, Hugo and Yuki also take Creative Writing, where Jonas is the only instructor.
export const GRACE = 'grace.lee@example.edu';
export const PRIYA = 'priya.nair@example.edu';
export const HUGO = 'hugo.moreau@example.edu';
export const DIEGO = 'diego.torres@example.edu';
export const HANNAH = 'hannah.weber@example.edu';
export const RAVI = 'ravi.sharma@example.edu';
export const NORA = 'nora.haddad@example.edu';
export const YUKI = 'yuki.sato@example.edu';

export async function signInApi(request: APIRequestContext, email: string): Promise<void> {
  const res = await request.post('/api/auth/sign-in/email', { data: { email, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
}
