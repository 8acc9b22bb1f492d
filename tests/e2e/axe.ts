// An axe-core scan of the current page in the browser: the serious and critical violations, one line
// each (rule, impact, what to fix, where), so a failing test says what is wrong.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

const AXE = path.join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated by Playwright, not added as a <script>: the page's CSP rightly refuses a script without its nonce.
  await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
