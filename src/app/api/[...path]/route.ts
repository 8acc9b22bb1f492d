// Any /api path without a route: a JSON 404 in the app's error shape, never Next's HTML page.
import { AppError } from '@/platform/errors';
import { jsonError } from '@/platform/http';

const notFound = async () => jsonError(new AppError('NOT_FOUND', 'There is no API route at this address.'));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
