import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Classroom Messaging', template: '%s · Classroom Messaging' },
  description: 'Messages between instructors and students, by class.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page, the 404 included, renders per request: Next can only stamp the CSP nonce from src/proxy.ts
  // on a page it renders now, and a page prerendered at build time would have its scripts blocked.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
