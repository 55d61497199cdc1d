// What the user chose per file, remembered in workspace state: the model to analyse (Select Model) and
// an input shape per model (Set Input Shape). Plain storage; deciding precedence is AnalysisService's job.
import * as vscode from 'vscode';

const MODEL_KEY = 'layerlens.model';
const INPUT_KEY = 'layerlens.input';

type ModelMap = Record<string, string>;
type InputMap = Record<string, number[][]>;

export class ModelChoices {
  constructor(private readonly memento: vscode.Memento) {}

  model(uri: vscode.Uri): string | undefined {
    return this.memento.get<ModelMap>(MODEL_KEY, {})[uri.toString()];
  }

  async setModel(uri: vscode.Uri, expr: string | undefined): Promise<void> {
    const all = { ...this.memento.get<ModelMap>(MODEL_KEY, {}) };
    if (expr) all[uri.toString()] = expr;
    else delete all[uri.toString()];
    await this.memento.update(MODEL_KEY, all);
  }

  input(uri: vscode.Uri, expr: string): number[][] | undefined {
    return this.memento.get<InputMap>(INPUT_KEY, {})[inputKey(uri, expr)];
  }

  async setInput(uri: vscode.Uri, expr: string, shapes: number[][] | undefined): Promise<void> {
    const all = { ...this.memento.get<InputMap>(INPUT_KEY, {}) };
    if (shapes) all[inputKey(uri, expr)] = shapes;
    else delete all[inputKey(uri, expr)];
    await this.memento.update(INPUT_KEY, all);
  }
}

function inputKey(uri: vscode.Uri, expr: string): string {
  return `${uri.toString()}#${expr}`;
}
