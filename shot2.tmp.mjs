import { chromium } from 'playwright-core';
const [,, file, sel, out] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 950, height: 900 } });
await p.goto('file://' + file);
await p.locator(sel).screenshot({ path: out });
await b.close();
