import type { SessionUser } from '@/auth/session';

const roleLabel = { INSTRUCTOR: 'Instructor', STUDENT: 'Student', ADMIN: 'Administrator' } as const;

export function roleName(role: SessionUser['role']): string {
  return roleLabel[role];
}

/** The signed-in user's name and role. */
export function UserBadge({ user }: { user: SessionUser }) {
  const initials = user.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
  return (
    <div className="flex min-w-0 items-center gap-3">
      <span
        aria-hidden="true"
        className="flex size-9 shrink-0 items-center justify-center rounded-full bg-brand-100 text-sm font-semibold text-brand-800"
      >
        {initials || '?'}
      </span>
      <div className="min-w-0">
        <p className="truncate text-sm font-medium text-slate-900">
          <span className="sr-only">Signed in as </span>
          {user.name}
        </p>
        <p className="truncate text-xs text-slate-600">{roleName(user.role)}</p>
      </div>
    </div>
  );
}
