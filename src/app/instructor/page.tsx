// /instructor on its own (a bookmark, a typed address) opens the dashboard, the area's home, rather
// than a 404; the layout has already checked the session and role.
import { redirect } from 'next/navigation';

export default function InstructorHome(): never {
  redirect('/instructor/dashboard');
}
