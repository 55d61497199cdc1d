// What a view of the Inspector is given and must provide. A view lives in its own folder under views/,
// renders from the plain data in its context (report, tensors, its own slice of the UI state) and owns no
// engine calls; selection is shared through the context. views/index.ts lists the views in tab order.
import type { TemplateResult } from 'lit';
import type { Loc, Report, RunReport } from '../../engine';
import type { LossSpec, RowTensors, RunVariant } from '../protocol';
import type { InspectorState, UiState } from '../app/store';

export interface ViewContext {
  state: InspectorState;
  /** The report on screen (the run's when there is one for these rows). */
  report?: Report | Omit<RunReport, 'tensors'>;
  /** The run's per-row tensors, when they belong to `report`'s rows. */
  tensors?: RowTensors[];
  /** Selects a report row (null: none) and, unless `reveal` is false, shows its line in the editor. */
  select(row: number | null, reveal?: boolean): void;
  reveal(loc: Loc): void;
  /** Updates one slice of the persisted UI state. */
  setUi<K extends 'summary' | 'graph' | 'featureMaps' | 'convStep' | 'batchNorm' | 'activations'>(key: K, patch: Partial<UiState[K]>): void;
  /** Asks for the batch-size re-run of the current run (the controller runs it in the worker; latest wins). */
  wantBatchNoise(batch: number): void;
  /** Asks for the what-if run (null: none). */
  wantWhatIf(variant: RunVariant | null): void;
  /** Changes the loss backward differentiates (re-runs). */
  setLoss(loss: LossSpec): void;
  copy(format: 'markdown' | 'csv' | 'json'): void;
  /** A view calls this once it has drawn real data (the status the host and the tests read). */
  rendered(view: string, rows?: number): void;
  /** Starts a run (views that need tensors offer it). */
  run(): void;
}

export interface ViewDef {
  id: string;
  title: string;
  /** A codicon name. */
  icon: string;
  /** 'analysis': draws from the report alone; 'run': needs a run's tensors. */
  needs: 'analysis' | 'run';
  render(ctx: ViewContext): TemplateResult;
}
