// The Inspector webview's entry: takes VS Code's API (the test harness stands in for it), restores the
// persisted state, starts the engine worker client and the controller, mounts the app and routes the host's
// messages. Theme changes (VS Code swaps body.vscode-dark / vscode-light / vscode-high-contrast) re-render.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { Controller } from './app/controller';
import { EngineClient } from './app/engineClient';
import './app/inspectorApp'; // defines <ll-inspector>
import type { InspectorApp } from './app/inspectorApp';
import { Store, type Persisted } from './app/store';

interface VsCodeApi { postMessage(msg: unknown): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const store = new Store((vscode.getState() ?? undefined) as Partial<Persisted> | undefined);
const engine = new EngineClient(document.body.dataset.worker ?? 'worker.js', (message) => store.update({ error: { message } }));
const controller = new Controller(store, vscode, engine, document.body.dataset.layoutWorker);

const app = document.createElement('ll-inspector') as InspectorApp;
app.store = store;
app.controller = controller;
document.body.append(app);

window.addEventListener('message', (e: MessageEvent) => controller.receive(e.data));
new MutationObserver(() => store.update({ theme: store.state.theme + 1 })).observe(document.body, { attributes: true, attributeFilter: ['class'] });
controller.start();
