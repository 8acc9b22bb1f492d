// The metric names docs/grafana-dashboard.json queries: every `cm_…` identifier in its panels'
// expressions, with a histogram's _bucket/_sum/_count suffix taken off (Prometheus' # TYPE line
// names the histogram itself).
import fs from 'node:fs';
import path from 'node:path';

export const DASHBOARD_PATH = path.resolve(import.meta.dirname, '../../docs/grafana-dashboard.json');

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

export function dashboardExpressions(): Array<{ panel: string; expr: string }> {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD_PATH, 'utf8')) as { panels: Panel[] };
  const out: Array<{ panel: string; expr: string }> = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ panel: p.title ?? '', expr: t.expr });
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels);
  return out;
}

export const DASHBOARD_METRIC_NAMES: string[] = [
  ...new Set(
    dashboardExpressions().flatMap(({ expr }) =>
      [...expr.matchAll(/\bcm_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')),
    ),
  ),
];
