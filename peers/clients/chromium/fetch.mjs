// One navigation with headless Chromium: body text to stdout, exit 0 for a response over HTTP/2
// whatever its status (Chromium accepted it; a status other than 2xx goes to stderr). Arguments: URL, the base64 SHA-256 of the certificate's public key to trust.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../../tests/browser/package.json'));
const { chromium } = require('playwright-core');

const [url, spki] = process.argv.slice(2);
const fail = (code, what) => {
  process.stderr.write(`${what}\n`);
  process.exitCode = code;
};
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2c-client-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           `--ignore-certificate-errors-spki-list=${spki}`],
  });
  const page = context.pages()[0] || await context.newPage();
  const response = await page.goto(url, { timeout: 20000, waitUntil: 'load' });
  if (!response) {
    fail(2, 'no response');
  } else {
    process.stdout.write(await response.body());
    const protocol = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.nextHopProtocol ?? '');
    const status = response.status();
    if (protocol !== 'h2') fail(4, `not HTTP/2: "${protocol}"`);
    else {
      if (status < 200 || status > 299) process.stderr.write(`status ${status}\n`);
      process.exitCode = 0;
    }
  }
} catch (e) {
  fail(2, e.message.split('\n')[0]);
} finally {
  if (context) await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
