// A minimal in-memory stand-in for the `vscode` module: enough of the API for activate(), the analysis
// service and the providers to run in plain Node (unit tests, bench/editor.mjs). Bundlers alias `vscode`
// to this file. Must not pretend to be VS Code beyond what the extension uses: no UI, no file watching.
/* eslint-disable @typescript-eslint/no-explicit-any */

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...ds: Array<{ dispose(): unknown }>): Disposable { return new Disposable(() => ds.forEach((d) => d.dispose())); }
  dispose(): void { this.fn(); }
}

export type Event<T> = (listener: (e: T) => unknown) => Disposable;

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void { for (const l of [...this.listeners]) l(e); }
  dispose(): void { this.listeners.clear(); }
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
  isBefore(o: Position): boolean { return this.line < o.line || (this.line === o.line && this.character < o.character); }
  isAfter(o: Position): boolean { return o.isBefore(this); }
  isEqual(o: Position): boolean { return this.line === o.line && this.character === o.character; }
  isBeforeOrEqual(o: Position): boolean { return !this.isAfter(o); }
  isAfterOrEqual(o: Position): boolean { return !this.isBefore(o); }
  compareTo(o: Position): number { return this.isBefore(o) ? -1 : this.isEqual(o) ? 0 : 1; }
  translate(dl = 0, dc = 0): Position { return new Position(this.line + dl, this.character + dc); }
  with(line = this.line, character = this.character): Position { return new Position(line, character); }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const s = typeof a === 'number' ? new Position(a, b as number) : a;
    const e = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
    [this.start, this.end] = s.isAfter(e) ? [e, s] : [s, e];
  }
  get isEmpty(): boolean { return this.start.isEqual(this.end); }
  get isSingleLine(): boolean { return this.start.line === this.end.line; }
  contains(x: Position | Range): boolean {
    return x instanceof Range ? this.contains(x.start) && this.contains(x.end) : x.isAfterOrEqual(this.start) && x.isBeforeOrEqual(this.end);
  }
  isEqual(o: Range): boolean { return this.start.isEqual(o.start) && this.end.isEqual(o.end); }
  with(start = this.start, end = this.end): Range { return new Range(start, end); }
}

export class Uri {
  private constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query: string, readonly fragment: string) {}
  static file(p: string): Uri { return new Uri('file', '', p, '', ''); }
  static parse(s: string): Uri {
    const m = /^([a-z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/i.exec(s);
    if (!m) return Uri.file(s);
    return new Uri(m[1], m[2] ?? '', decodeURIComponent(m[3]), m[4] ?? '', m[5] ?? '');
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri { return base.with({ path: [base.path.replace(/\/$/, ''), ...parts].join('/') }); }
  get fsPath(): string { return this.path; }
  with(c: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${encodeURI(this.path)}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): string { return this.toString(); }
}

export interface TextLine { lineNumber: number; text: string; range: Range; isEmptyOrWhitespace: boolean }

/** An open document: lines in memory, a version bumped by each edit (as VS Code's ExtHostDocumentData). */
export class TextDocument {
  version = 1;
  isClosed = false;
  isDirty = false;
  readonly eol = 1;
  private lines: string[];
  constructor(readonly uri: Uri, text: string, readonly languageId = 'python') {
    this.lines = text.split(/\r?\n/);
  }
  get fileName(): string { return this.uri.fsPath; }
  get lineCount(): number { return this.lines.length; }
  getText(range?: Range): string {
    if (!range) return this.lines.join('\n');
    return this.lines.join('\n').slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  lineAt(l: number | Position): TextLine {
    const n = typeof l === 'number' ? l : l.line;
    if (n < 0 || n >= this.lines.length) throw new Error(`Illegal value for line: ${n}`);
    const text = this.lines[n];
    return { lineNumber: n, text, range: new Range(n, 0, n, text.length), isEmptyOrWhitespace: text.trim() === '' };
  }
  offsetAt(p: Position): number {
    let o = 0;
    for (let i = 0; i < p.line && i < this.lines.length; i++) o += this.lines[i].length + 1;
    return o + Math.min(p.character, this.lines[p.line]?.length ?? 0);
  }
  positionAt(offset: number): Position {
    let o = offset;
    for (let i = 0; i < this.lines.length; i++) {
      if (o <= this.lines[i].length) return new Position(i, o);
      o -= this.lines[i].length + 1;
    }
    return new Position(this.lines.length - 1, this.lines[this.lines.length - 1].length);
  }
  /** Replaces `range` with `text` and bumps the version; returns the change event's content change. */
  applyEdit(range: Range, text: string): { range: Range; rangeOffset: number; rangeLength: number; text: string } {
    const rangeOffset = this.offsetAt(range.start);
    const rangeLength = this.offsetAt(range.end) - rangeOffset;
    const head = this.lines[range.start.line].slice(0, range.start.character);
    const tail = this.lines[range.end.line].slice(range.end.character);
    this.lines.splice(range.start.line, range.end.line - range.start.line + 1, ...(head + text + tail).split(/\r?\n/));
    this.version++;
    this.isDirty = true;
    return { range, rangeOffset, rangeLength, text };
  }
}

export class MarkdownString {
  isTrusted = false;
  supportThemeIcons = false;
  constructor(public value = '') {}
  appendMarkdown(s: string): this { this.value += s; return this; }
  appendText(s: string): this { this.value += s; return this; }
  appendCodeblock(s: string, lang = ''): this { this.value += `\n\`\`\`${lang}\n${s}\n\`\`\`\n`; return this; }
}

export class Hover { constructor(readonly contents: MarkdownString | MarkdownString[], readonly range?: Range) {} }
export enum InlayHintKind { Type = 1, Parameter = 2 }
export class InlayHint {
  paddingLeft?: boolean;
  paddingRight?: boolean;
  tooltip?: string | MarkdownString;
  constructor(readonly position: Position, readonly label: string, readonly kind?: InlayHintKind) {}
}
export class CodeLens {
  command?: { title: string; command: string; arguments?: unknown[]; tooltip?: string };
  constructor(readonly range: Range, command?: CodeLens['command']) { this.command = command; }
  get isResolved(): boolean { return !!this.command; }
}
export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }
export class Diagnostic {
  source?: string;
  code?: string | number;
  constructor(readonly range: Range, readonly message: string, readonly severity = DiagnosticSeverity.Error) {}
}
export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  constructor(readonly value: string) {}
}
export class WorkspaceEdit {
  readonly edits: Array<{ uri: Uri; range: Range; text: string }> = [];
  replace(uri: Uri, range: Range, text: string): void { this.edits.push({ uri, range, text }); }
}
export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  constructor(readonly title: string, readonly kind?: CodeActionKind) {}
}
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1 }

// ---------- namespaces ----------

const onDidChangeTextDocumentE = new EventEmitter<{ document: TextDocument; contentChanges: unknown[]; reason: undefined }>();
const onDidOpenTextDocumentE = new EventEmitter<TextDocument>();
const onDidCloseTextDocumentE = new EventEmitter<TextDocument>();
const onDidChangeConfigurationE = new EventEmitter<{ affectsConfiguration(s: string): boolean }>();
const onDidChangeActiveTextEditorE = new EventEmitter<{ document: TextDocument } | undefined>();
const onDidChangeVisibleTextEditorsE = new EventEmitter<Array<{ document: TextDocument }>>();

/** Settings by full key (`layerlens.debounceMs`); unset keys give the caller's default. */
export const settings = new Map<string, unknown>();
const documents: TextDocument[] = [];
const files = new Map<string, string>();

export const workspace = {
  workspaceFolders: undefined as Array<{ uri: Uri; name: string; index: number }> | undefined,
  get textDocuments(): TextDocument[] { return documents.filter((d) => !d.isClosed); },
  onDidChangeTextDocument: onDidChangeTextDocumentE.event,
  onDidOpenTextDocument: onDidOpenTextDocumentE.event,
  onDidCloseTextDocument: onDidCloseTextDocumentE.event,
  onDidChangeConfiguration: onDidChangeConfigurationE.event,
  getConfiguration(section: string) {
    return {
      get<T>(key: string, dflt?: T): T | undefined {
        const k = `${section}.${key}`;
        return settings.has(k) ? (settings.get(k) as T) : dflt;
      },
    };
  },
  createFileSystemWatcher() {
    const never = new EventEmitter<Uri>().event;
    return { onDidChange: never, onDidCreate: never, onDidDelete: never, dispose() {} };
  },
  fs: {
    async readFile(uri: Uri): Promise<Uint8Array> {
      const t = files.get(uri.path);
      if (t === undefined) throw new Error(`ENOENT ${uri.path}`);
      return new TextEncoder().encode(t);
    },
  },
  async openTextDocument(uri: Uri): Promise<TextDocument> {
    const open = documents.find((d) => !d.isClosed && d.uri.toString() === uri.toString());
    if (open) return open;
    const t = files.get(uri.path);
    if (t === undefined) throw new Error(`cannot open ${uri.toString()}`);
    return openDocument(uri, t);
  },
  registerTextDocumentContentProvider: () => new Disposable(),
};

const registered = { hover: [] as any[], inlay: [] as any[], codeLens: [] as any[], codeActions: [] as any[] };

export const languages = {
  registerHoverProvider: (_s: unknown, p: unknown) => { registered.hover.push(p); return new Disposable(); },
  registerInlayHintsProvider: (_s: unknown, p: unknown) => { registered.inlay.push(p); return new Disposable(); },
  registerCodeLensProvider: (_s: unknown, p: unknown) => { registered.codeLens.push(p); return new Disposable(); },
  registerCodeActionsProvider: (_s: unknown, p: unknown) => { registered.codeActions.push(p); return new Disposable(); },
  createDiagnosticCollection(name: string) {
    const byUri = new Map<string, Diagnostic[]>();
    return { name, set: (u: Uri, ds: Diagnostic[]) => void byUri.set(u.toString(), ds), get: (u: Uri) => byUri.get(u.toString()), delete: (u: Uri) => void byUri.delete(u.toString()), clear: () => byUri.clear(), dispose: () => byUri.clear() };
  },
};

/** Other extensions by id (tests register a stand-in for ms-python.python with `installExtension`). */
const installed = new Map<string, { id: string; isActive: boolean; exports: unknown; activate(): Promise<unknown> }>();
const onDidChangeExtensionsE = new EventEmitter<void>();
export function installExtension(id: string, exports: unknown): void {
  installed.set(id, { id, isActive: false, exports, async activate() { this.isActive = true; return exports; } });
  onDidChangeExtensionsE.fire();
}
export function uninstallExtension(id: string): void { installed.delete(id); onDidChangeExtensionsE.fire(); }
export const extensions = {
  getExtension: (id: string) => installed.get(id),
  get all() { return [...installed.values()]; },
  onDidChange: onDidChangeExtensionsE.event,
};

/** Error messages the extension showed (the harness fails on any). */
export const shownErrors: string[] = [];

export const window = {
  activeTextEditor: undefined as { document: TextDocument } | undefined,
  visibleTextEditors: [] as Array<{ document: TextDocument }>,
  onDidChangeActiveTextEditor: onDidChangeActiveTextEditorE.event,
  onDidChangeVisibleTextEditors: onDidChangeVisibleTextEditorsE.event,
  createStatusBarItem() {
    return { text: '', tooltip: undefined as unknown, name: '', command: '', show() {}, hide() {}, dispose() {} };
  },
  showErrorMessage: async (m: string) => { shownErrors.push(m); return undefined; },
  showWarningMessage: async () => undefined,
  showInformationMessage: async () => undefined,
  showQuickPick: async () => undefined,
  showInputBox: async () => undefined,
  showTextDocument: async (d: TextDocument) => ({ document: d }),
  setStatusBarMessage: () => new Disposable(),
  registerWebviewPanelSerializer: () => new Disposable(),
};

export const commands = {
  registerCommand: () => new Disposable(),
  executeCommand: async () => undefined,
};
export const env = { clipboard: { writeText: async () => undefined } };

// ---------- harness controls (not part of the vscode API) ----------

/** Providers activate() registered. */
export function providers(): typeof registered { return registered; }

/** Makes `path` readable through workspace.fs (imported files). */
export function putFile(path: string, text: string): void { files.set(path, text); }

/** Opens a document, shows it in the active editor and fires the events VS Code fires. */
export function openDocument(uri: Uri, text: string): TextDocument {
  const doc = new TextDocument(uri, text);
  documents.push(doc);
  onDidOpenTextDocumentE.fire(doc);
  window.activeTextEditor = { document: doc };
  window.visibleTextEditors = [window.activeTextEditor];
  onDidChangeVisibleTextEditorsE.fire(window.visibleTextEditors);
  onDidChangeActiveTextEditorE.fire(window.activeTextEditor);
  return doc;
}

/** Edits `doc` as typing does: one content change, then onDidChangeTextDocument. */
export function editDocument(doc: TextDocument, range: Range, text: string): void {
  const change = doc.applyEdit(range, text);
  onDidChangeTextDocumentE.fire({ document: doc, contentChanges: [change], reason: undefined });
}

export function closeDocument(doc: TextDocument): void {
  doc.isClosed = true;
  onDidCloseTextDocumentE.fire(doc);
}

/** A memento for context.workspaceState. */
export function memento(): { get<T>(k: string, d?: T): T | undefined; update(k: string, v: unknown): Promise<void>; keys(): readonly string[] } {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string, d?: T) => (m.has(k) ? (m.get(k) as T) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()] };
}

export const CancellationTokenNone = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() };
