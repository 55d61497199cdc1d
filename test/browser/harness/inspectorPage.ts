// Drives the harness page from a test: opens it in a theme (optionally with a saved webview state), posts
// the host's messages, serves files, waits on what the webview reports, and reads the DOM.
import type { Browser, Page } from 'playwright-core';
import type { Harness } from './harnessServer';
import type { ThemeName } from './themes';

type Msg = Record<string, unknown>;

/** Uint8Arrays travel into the page as {__bytes: base64}. */
function encode(v: unknown): unknown {
  if (v instanceof Uint8Array) return { __bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

export class InspectorPage {
  readonly errors: string[] = [];

  private constructor(readonly page: Page) {
    page.on('pageerror', (e) => this.errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') this.errors.push(m.text()); });
  }

  static async open(browser: Browser, h: Harness, theme: ThemeName = 'dark', state?: unknown, viewport = { width: 1280, height: 820 }, lang?: string): Promise<InspectorPage> {
    const page = await browser.newPage({ viewport });
    if (state !== undefined) await page.addInitScript((s) => { (globalThis as any).__initialState = s; }, state);
    const p = new InspectorPage(page);
    await page.goto(h.url(theme, lang));
    await p.waitHost((ms) => ms.some((m: any) => m.type === 'ready'));
    return p;
  }

  async post(msg: Msg): Promise<void> { await this.page.evaluate((m) => (globalThis as any).__post(m), encode(msg) as Msg); }

  async serve(path: string, bytes: Uint8Array): Promise<void> {
    await this.page.evaluate(({ p, b }) => { (globalThis as any).__files[p] = b; }, { p: path, b: Buffer.from(bytes).toString('base64') });
  }

  async toHost(): Promise<any[]> { return this.page.evaluate(() => (globalThis as any).__toHost); }

  /**
   * Waits until `pred` holds for the messages posted to the host so far. Polled from Node: the page's CSP
   * (no 'unsafe-eval') refuses the string expressions page.waitForFunction would evaluate.
   */
  async waitHost(pred: (msgs: any[]) => boolean, timeout = 30000): Promise<any[]> {
    const end = Date.now() + timeout;
    for (;;) {
      const msgs = await this.toHost();
      if (pred(msgs)) return msgs;
      if (Date.now() > end) throw new Error(`timed out waiting for ${pred.toString()}; last status: ${JSON.stringify(msgs.filter((m) => m.type === 'status').pop()?.status)}; page errors: ${this.errors.join(' | ')}`);
      await this.page.waitForTimeout(40);
    }
  }

  /** The latest status the webview reported. */
  async status(): Promise<any> { return (await this.toHost()).filter((m) => m.type === 'status').pop()?.status; }

  async waitStatus(pred: (s: any) => boolean, timeout = 30000): Promise<any> {
    const last = (ms: any[]) => ms.filter((m) => m.type === 'status').pop()?.status;
    return last(await this.waitHost((ms) => { const s = last(ms); return !!s && pred(s); }, timeout));
  }

  /** Waits for a condition on the DOM (a function run in the page, polled from Node for the same reason). */
  async waitDom(fn: (arg: any) => boolean, arg: unknown = null, timeout = 30000): Promise<void> {
    const end = Date.now() + timeout;
    while (!(await this.page.evaluate(fn as (a: unknown) => boolean, arg))) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${fn.toString()}`);
      await this.page.waitForTimeout(40);
    }
  }

  async cspViolations(): Promise<string[]> { return this.page.evaluate(() => (globalThis as any).__csp); }

  async tab(view: string): Promise<void> {
    await this.page.click(`vscode-tab-header[data-tab="${view}"]`);
    await this.waitStatus((s) => s.view === view);
  }

  async texts(selector: string): Promise<string[]> { return this.page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim())); }

  /** Closes the page; a page error, a console error or a CSP violation on the way fails the test. */
  async close(): Promise<void> {
    const csp = await this.cspViolations();
    await this.page.close();
    if (csp.length || this.errors.length) throw new Error(`the page reported problems: ${[...csp, ...this.errors].join(' | ')}`);
  }
}
