// Named (server-side prepared) statements for node-postgres, so PostgreSQL parses and plans a query
// shape once per connection instead of on every call. node-postgres sends every query as an unnamed
// statement unless it is given a name, and a send's statements spent more time in PostgreSQL's
// parser and planner than executing (pg_stat_statements on bench:realtime: 3.0 ms of planning
// against 1.9 ms of execution per send). Each connection keeps a named statement once parsed; from
// the sixth call PostgreSQL may switch to a generic plan, which for a lookup by key is the same plan
// without the planning.
//
// Named: parameterised statements (drizzle sends every value as a parameter, so the text is one
// per query shape). Left unnamed:
//   - full-text search and the analytics reports: their best plan depends on the values (how
//     common a word is, how long a date range), and a generic plan could be a poor one;
//   - statements that return `*`: a prepared statement whose table gains a column fails with
//     "cached plan must not change result type", which a rolling deploy's migration would cause;
//   - any shape past the first MAX_NAMED_SHAPES in a process (a list of ids makes one shape per
//     length), so the statements kept by each connection stay bounded.
import { createHash } from 'node:crypto';
import type pg from 'pg';

export const MAX_NAMED_SHAPES = 500;

const UNPLANNABLE = /@@|ts_rank|ts_headline|analytics_|\b(?:select|returning)\s+\*|\w\.\*/i;

type QueryConfigLike = { text?: unknown; name?: unknown; values?: unknown };

export interface StatementNamer {
  /** The name to prepare `text` under, or undefined to leave it unnamed. */
  nameFor(text: string): string | undefined;
}

export function createStatementNamer(maxShapes = MAX_NAMED_SHAPES): StatementNamer {
  const names = new Map<string, string | undefined>();
  return {
    nameFor(text) {
      if (names.has(text)) return names.get(text);
      if (names.size >= maxShapes) return undefined;
      const name = UNPLANNABLE.test(text)
        ? undefined
        : `cm_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
      names.set(text, name);
      return name;
    },
  };
}

/**
 * Makes every connection of `pool` send its parameterised queries as named statements (see above).
 * A name is a hash of the text, so two texts never share one.
 */
export function prepareStatementsOn(pool: pg.Pool, namer: StatementNamer = createStatementNamer()): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
      if (isNameable(config, rest[0])) {
        const name = namer.nameFor(config.text);
        if (name) return query({ ...config, name }, ...rest);
      }
      return query(config, ...rest);
    };
  });
}

/** A query config (drizzle passes its values beside it) with parameters and no name of its own. */
function isNameable(config: unknown, values: unknown): config is QueryConfigLike & { text: string } {
  if (typeof config !== 'object' || config === null) return false;
  const c = config as QueryConfigLike;
  const params = c.values ?? values;
  return (
    typeof c.text === 'string' &&
    (c.name === undefined || c.name === '') &&
    Array.isArray(params) &&
    params.length > 0 &&
    typeof (config as { submit?: unknown }).submit !== 'function' // a Cursor or Query object
  );
}
