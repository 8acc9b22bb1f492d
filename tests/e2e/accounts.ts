// The seeded demo accounts the API specs sign in as, and signing in over the API.
import { expect, type APIRequestContext } from '@playwright/test';

export const PASSWORD = 'classroom-demo';
export const JONAS = 'jonas.okafor@example.edu';
export const LENA = 'lena.novak@example.edu';
export const SAM = 'sam.rivera@example.edu';
export const BEN = 'ben.cohen@example.edu';
export const AVA = 'ava.walsh@example.edu';

export async function signInApi(request: APIRequestContext, email: string): Promise<void> {
  const res = await request.post('/api/auth/sign-in/email', { data: { email, password: PASSWORD } });
  expect(res.status()).toBe(200);
}
