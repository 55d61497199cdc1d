// The Inspector webview's HTML: a nonce CSP with `default-src 'none'` plus exactly what the page needs
// (its script, WebAssembly in the engine worker, the blob worker, its stylesheets and the codicon font, and
// fetching the worker's script), nothing remote. No vscode import: the Chromium test harness uses it too.

export interface InspectorHtmlOptions {
  /** The webview's `cspSource` (the origin its resources are served from). */
  cspSource: string;
  nonce: string;
  /** URIs (as strings) of dist/webview's main.js, worker.js, layoutWorker.js, inspector.css and codicons/codicon.css. */
  main: string;
  worker: string;
  layoutWorker: string;
  css: string;
  codicons: string;
  title: string;
  /** VS Code's display language (vscode.env.language) and its runtime strings (vscode.l10n.bundle), for the page's own labels. */
  lang?: string;
  l10n?: Record<string, string>;
}

export function inspectorCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    // the page's one script; the engine worker compiles its WebAssembly kernels
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    // stylesheets from the bundle; components' constructed stylesheets need no source
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    // the workers' scripts are fetched and started from blob: URLs (the webview's origin is not the resources')
    `connect-src ${cspSource}`,
    'worker-src blob:',
  ].join('; ');
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function inspectorHtml(o: InspectorHtmlOptions): string {
  return `<!doctype html>
<html lang="${esc(o.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(inspectorCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${esc(o.codicons)}" id="vscode-codicon-stylesheet" nonce="${o.nonce}">
<link rel="stylesheet" href="${esc(o.css)}" nonce="${o.nonce}">
<title>${esc(o.title)}</title>
</head>
<body data-worker="${esc(o.worker)}" data-layout-worker="${esc(o.layoutWorker)}">
<script type="application/json" id="ll-l10n" nonce="${o.nonce}">${JSON.stringify(o.l10n ?? {}).replace(/</g, '\\u003c')}</script>
<script nonce="${o.nonce}" src="${esc(o.main)}"></script>
</body>
</html>`;
}

/** A fresh nonce (Web Crypto: the same in Node 20, the browser extension host and the webview). */
export function makeNonce(): string {
  const b = new Uint8Array(18);
  globalThis.crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
