// Extension entry: wiring only (config, providers, commands, status bar). No analysis logic here.
// Everything registered is pushed onto context.subscriptions; activation failures are shown to the user.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {}
