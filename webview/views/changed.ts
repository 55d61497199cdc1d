// Whether a view's inputs changed between two contexts: the report, the tensors, the theme, the selection
// and the listed slices of the UI state (compared by identity: the store replaces what changes). A view
// skips re-rendering when none did, so a status-line update does not redraw tables and canvases.
import type { InspectorState } from '../app/store';
import type { ViewContext } from './view';

export function viewInputsChanged(prev: ViewContext | undefined, next: ViewContext, also: Array<(s: InspectorState) => unknown> = []): boolean {
  if (!prev) return true;
  const a = prev.state, b = next.state;
  return prev.report !== next.report || prev.tensors !== next.tensors || a.theme !== b.theme || a.ui.selectedRow !== b.ui.selectedRow
    || a.ui.view !== b.ui.view || !!a.job !== !!b.job || also.some((f) => f(a) !== f(b));
}
