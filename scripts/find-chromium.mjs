// Finds a Chromium for the browser tests: CHROMIUM_PATH, then Debian's /usr/bin/chromium,
// then Playwright's own download (where the network allowed `npx playwright install`).
import { existsSync } from 'node:fs';

export async function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    const { chromium } = await import('playwright-core');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {}
  return null;
}

export const chromiumMissing = `No Chromium found for the browser tests.
Install one of:
  - Debian/Ubuntu: sudo apt-get install chromium fonts-noto-cjk
  - or set CHROMIUM_PATH=/path/to/chromium
  - or, where downloads are allowed: npx playwright install chromium`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = await findChromium();
  if (!path) {
    console.error(chromiumMissing);
    process.exit(1);
  }
  console.log(path);
}
