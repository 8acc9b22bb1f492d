// The layers of src/ and the only directions their imports may point (README, "Architecture").
// `npm run check` runs this; a violation fails it with the rule's name and the offending import.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-tests-in-src',
      comment: 'Production code never imports the test tree; the factories build on src/, not the reverse.',
      severity: 'error',
      from: { path: '^(src|server\\.ts|scripts)' },
      to: { path: '^tests/' },
    },
    {
      name: 'platform-is-the-leaf',
      comment:
        'platform/ (env, logger, metrics, errors, redis, sql, http helpers) imports nothing of ours above it.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: '^src/platform/' },
    },
    {
      name: 'db-below-the-domains',
      comment: 'db/ (schema, client, migrations) depends only on platform/.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|platform)/' },
    },
    {
      name: 'messaging-is-the-domain',
      comment: 'messaging/ imports only db/ and platform/.',
      severity: 'error',
      from: { path: '^src/messaging/' },
      to: { path: '^src/', pathNot: '^src/(messaging|db|platform)/' },
    },
    {
      name: 'classroom-over-messaging',
      comment:
        'classroom/ (rosters, enrollment, dashboard and analytics read models) builds on messaging/, db/ and platform/.',
      severity: 'error',
      from: { path: '^src/classroom/' },
      to: { path: '^src/', pathNot: '^src/(classroom|messaging|db|platform)/' },
    },
    {
      name: 'files-over-messaging',
      comment:
        'files/ (storage, uploads, serving, materials) builds on messaging/ (visibility, sends), db/ and platform/.',
      severity: 'error',
      from: { path: '^src/files/' },
      to: { path: '^src/', pathNot: '^src/(files|messaging|db|platform)/' },
    },
    {
      name: 'jobs-over-db',
      comment: 'jobs/ (the durable job queue and its worker) is infrastructure on db/ and platform/ only.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/', pathNot: '^src/(jobs|db|platform)/' },
    },
    {
      name: 'notifications-over-messaging',
      comment:
        'notifications/ (preferences, quiet hours, planning, digests, push) builds on messaging/, jobs/, db/ and platform/.',
      severity: 'error',
      from: { path: '^src/notifications/' },
      to: { path: '^src/', pathNot: '^src/(notifications|messaging|jobs|db|platform)/' },
    },
    {
      name: 'auth-over-db',
      comment:
        'auth/ (better-auth, sessions, guards) uses db/, platform/ and the role list of messaging/limits.',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/', pathNot: '^src/(auth|db|platform)/|^src/messaging/limits\\.ts$' },
    },
    {
      name: 'domains-are-framework-free',
      comment: 'The domains run from any transport, a script or a plain test: no Next, React or Socket.IO.',
      severity: 'error',
      from: { path: '^src/(messaging|classroom|files|notifications|jobs|platform|db)/' },
      to: { path: '^node_modules/(next|react|react-dom|socket\\.io|socket\\.io-client|@socket\\.io/[^/]+)/' },
    },
    {
      name: 'edges-never-touch-db',
      comment:
        'Pages, route handlers, UI and the socket server call the domains; they never hold the database.',
      severity: 'error',
      from: { path: '^src/(app|ui|realtime)/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'realtime-over-the-domain',
      comment:
        'realtime/ (the Socket.IO server side and its typed client) calls messaging/ and auth/; it is wired by server/.',
      severity: 'error',
      from: { path: '^src/realtime/' },
      to: { path: '^src/(app|ui|server|classroom|files)/' },
    },
    {
      name: 'ui-is-presentation',
      comment:
        "ui/ renders; it reads the domains' shared shapes and limits, the realtime client, and nothing server-side.",
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/(app|server|db)/' },
    },
    {
      name: 'nothing-imports-app',
      comment: 'app/ is the top: only Next (and app/ itself) reaches into it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/app/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'server-is-the-root',
      comment: 'server/ is the composition root: only app/, server.ts and scripts may import it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|server)/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.next|\\.data|\\.test-data|drizzle)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
