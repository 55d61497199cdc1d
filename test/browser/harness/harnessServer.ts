// The Inspector's test harness: a tiny HTTP server for dist/webview and a page built with the panel's own
// HTML (the same CSP, nonce and resources) plus a stand-in for acquireVsCodeApi that records what the webview
// posts to the host; the test posts the host's messages. Theme variables as VS Code sets them on <html>.
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { inspectorHtml, makeNonce } from '../../../extension/panel/inspectorHtml';
import { THEMES, type ThemeName } from './themes';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

/** Runs in the page before the panel's script: the VS Code API stand-in and the theme. */
function standIn(theme: ThemeName): string {
  return `(() => {
  const themes = ${JSON.stringify(THEMES)};
  window.__toHost = []; window.__csp = []; window.__state = window.__initialState;
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  // files the "host" serves: window.__files[path] = base64; window.__pick = the path a Browse… dialog returns
  window.__files = {}; window.__pick = undefined;
  const answer = (m) => {
    if (m.type !== 'file/request') return;
    const path = m.path ?? window.__pick;
    const b64 = path && window.__files[path];
    setTimeout(() => window.__post(b64 ? { type: 'file/result', id: m.id, name: path.split('/').pop(), path, bytes: { __bytes: b64 } } : (path ? { type: 'file/error', id: m.id, message: 'cannot read ' + path } : { type: 'cancelled', id: m.id })), 0);
  };
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__toHost.push(m); answer(m); },
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
  window.__setTheme = (name) => {
    const t = themes[name], root = document.documentElement;
    for (let i = root.style.length - 1; i >= 0; i--) { const p = root.style[i]; if (p.startsWith('--vscode-')) root.style.removeProperty(p); }
    for (const [k, v] of Object.entries(t.vars)) root.style.setProperty('--vscode-' + k, v);
    const apply = () => { document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast'); document.body.classList.add(t.bodyClass); };
    if (document.body) apply(); else document.addEventListener('DOMContentLoaded', apply);
  };
  window.__setTheme(${JSON.stringify(theme)});
  // host → webview, as VS Code delivers it; {__bytes: base64} stands for a Uint8Array
  window.__post = (m) => {
    const revive = (v) => v && typeof v === 'object' ? (typeof v.__bytes === 'string' ? Uint8Array.from(atob(v.__bytes), (c) => c.charCodeAt(0)) : Array.isArray(v) ? v.map(revive) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]))) : v;
    window.postMessage(revive(m), '*');
  };
})();`;
}

/** `lang`: the page gets l10n/bundle.l10n.<lang>.json as the host puts its vscode.l10n bundle in (none: English). */
export interface Harness { base: string; url(theme?: ThemeName, lang?: string): string; close(): Promise<void> }

export async function startHarness(root: string): Promise<Harness> {
  const dist = join(root, 'dist/webview');
  if (!existsSync(join(dist, 'main.js'))) throw new Error('npm run build makes dist/webview/main.js');
  let base = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname.startsWith('/dist/webview/')) {
      const p = normalize(join(dist, url.pathname.slice('/dist/webview/'.length)));
      if (!p.startsWith(dist) || !existsSync(p)) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'Content-Type': TYPES[extname(p)] ?? 'application/octet-stream' });
      res.end(readFileSync(p));
      return;
    }
    const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
    const nonce = makeNonce();
    const lang = url.searchParams.get('lang');
    const bundle = lang && /^[\w-]+$/.test(lang) ? JSON.parse(readFileSync(join(root, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string> : undefined;
    const html = inspectorHtml({
      cspSource: base, nonce, title: 'LayerLens Inspector (harness)',
      main: `${base}/dist/webview/main.js`, worker: `${base}/dist/webview/worker.js`, layoutWorker: `${base}/dist/webview/layoutWorker.js`, css: `${base}/dist/webview/inspector.css`, codicons: `${base}/dist/webview/codicons/codicon.css`, lang: bundle ? lang! : undefined, l10n: bundle,
    }).replace('</head>', `<script nonce="${nonce}">${standIn(theme)}</script>\n</head>`);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, url: (theme = 'dark', lang) => `${base}/?theme=${theme}${lang ? `&lang=${lang}` : ''}`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
