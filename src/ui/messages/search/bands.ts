// The age bands of message search results, as the list heads them (search-messages.ts orders them).
import type { WireSearchResult } from '../api';

const AGE_LABELS: Record<WireSearchResult['age'], string> = {
  month: 'Last 30 days',
  year: 'Last 12 months',
  older: 'Older than a year',
};

/**
 * Results come newest age band first, by relevance within each (the API's order): the first result of
 * a band is headed by its name, so a better match further down reads as older, not as misplaced. A list
 * of the last 30 days alone needs no heading.
 */
export function bandLabel(results: readonly Pick<WireSearchResult, 'age'>[], i: number): string | null {
  const age = results[i]!.age;
  if (i > 0) return results[i - 1]!.age === age ? null : AGE_LABELS[age];
  return results.some((r) => r.age !== 'month') ? AGE_LABELS[age] : null;
}
