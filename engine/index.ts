// The engine's only public entry: what extension/, webview/ and the CLI import.
// Must not import `vscode`, `node:*` or the DOM, so it runs in Node, the extension host and a worker.
export * from './api';
