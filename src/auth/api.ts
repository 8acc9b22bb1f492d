// The signed-in caller of an API route handler: 401 JSON without a session, 403 for the wrong role.
import { getAuth } from './auth';
import { requireApiUser, type Area, type SessionUser } from './session';

export async function apiUser(req: Request, area?: Area): Promise<SessionUser> {
  return requireApiUser(await getAuth(), req.headers, area);
}
