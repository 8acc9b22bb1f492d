// Request paths whose percent-encoding is not valid UTF-8, which the server's early guard must answer
// with a JSON 400: the unit test sends them to the guard, the e2e spec to the production server.
export const MALFORMED_PATHS = [
  '/api/instructor/messages/threads/%zz',
  '/api/%zz',
  '/%',
  '/api/x/%ff%fe',
  // An overlong encoding of `.`: decoders that accept it let `..` slip past path checks.
  '/api/x/%c0%ae',
  // A truncated multi-byte sequence.
  '/api/x/%e2%82',
] as const;
