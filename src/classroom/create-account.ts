// Accounts and classes as the demo seed and the tests create them: a user with a real better-auth
// credential (so they can sign in) and a class with its instructors. Emails default to unique ones,
// so parallel specs never collide.
import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import type { Db } from '@/db/client';
import { accounts, classInstructors, classes, users, type Class, type Role, type User } from '@/db/schema';

export const DEFAULT_PASSWORD = 'classroom-demo';

const hashes = new Map<string, Promise<string>>();
function hashOnce(password: string): Promise<string> {
  // scrypt is deliberately slow; one hash per distinct password keeps a 40-user seed fast.
  let h = hashes.get(password);
  if (!h) hashes.set(password, (h = hashPassword(password)));
  return h;
}

export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export interface CreateUserOptions {
  role?: Role;
  name?: string;
  email?: string;
  password?: string;
  createdAt?: Date;
}

export async function createUser(db: Db, opts: CreateUserOptions = {}): Promise<User> {
  const role = opts.role ?? 'STUDENT';
  const suffix = uniqueSuffix();
  const name = opts.name ?? `${role === 'STUDENT' ? 'Student' : 'Instructor'} ${suffix}`;
  const email = (opts.email ?? `${role.toLowerCase()}-${suffix}@test.example`).toLowerCase();
  const password = await hashOnce(opts.password ?? DEFAULT_PASSWORD);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ name, email, role, emailVerified: true, createdAt: opts.createdAt })
      .returning();
    if (!user) throw new Error('user insert returned nothing');
    await tx
      .insert(accounts)
      .values({ accountId: user.id, providerId: 'credential', userId: user.id, password });
    return user;
  });
}

export interface CreateClassOptions {
  name?: string;
  code?: string;
  description?: string;
  /** The first instructor listed is the primary one unless isPrimary says otherwise. */
  instructors?: Array<{ id: string; isPrimary?: boolean }>;
}

export async function createClass(db: Db, opts: CreateClassOptions = {}): Promise<Class> {
  const suffix = uniqueSuffix();
  const [cls] = await db
    .insert(classes)
    .values({
      name: opts.name ?? `Class ${suffix}`,
      code: opts.code ?? `C-${suffix}`.toUpperCase(),
      description: opts.description,
    })
    .returning();
  if (!cls) throw new Error('class insert returned nothing');
  const instructors = opts.instructors ?? [];
  if (instructors.length) {
    await db.insert(classInstructors).values(
      instructors.map((i, n) => ({
        classId: cls.id,
        instructorId: i.id,
        isPrimary: i.isPrimary ?? n === 0,
      })),
    );
  }
  return cls;
}
