// docs/grafana-dashboard.json is a dashboard over what /api/metrics exports: it parses, every panel
// queries at least one of the app's metrics, and it covers the guide's figures. (That each name is
// really exported is checked against a live scrape in tests/integration/operations.test.ts.)
import { describe, expect, it } from 'vitest';
import { DASHBOARD_METRIC_NAMES, dashboardExpressions } from '../support/dashboard';

describe('the Grafana dashboard', () => {
  it('has panels, each of whose queries names an app metric (cm_…)', () => {
    const exprs = dashboardExpressions();
    expect(exprs.length).toBeGreaterThan(10);
    for (const { panel, expr } of exprs) expect(expr, panel).toMatch(/\bcm_[a-z0-9_]+/);
  });

  it("covers the guide's figures and the issue's metrics", () => {
    for (const name of [
      'cm_messages_sent_total',
      'cm_send_duration_seconds',
      'cm_delivery_lag_seconds',
      'cm_realtime_connections',
      'cm_realtime_events_emitted_total',
      'cm_http_requests_total',
      'cm_http_request_duration_seconds',
      'cm_auth_failures_total',
      'cm_rate_limit_hits_total',
      'cm_db_pool_in_use',
      'cm_db_pool_waiting',
      'cm_feed_positions_behind',
      'cm_notification_jobs_queued',
      'cm_notification_jobs_failed',
      'cm_nodejs_eventloop_lag_p99_seconds',
    ])
      expect(DASHBOARD_METRIC_NAMES).toContain(name);
  });
});
