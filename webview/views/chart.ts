// uPlot charts for the article views: colours from VS Code's theme variables (re-read on every draw, so a
// theme change that re-renders the view re-colours them), one chart per slot, destroyed before the next.
import uPlot from 'uplot';

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(`--vscode-${name}`).trim() || fallback;
}

export interface Palette { fg: string; muted: string; grid: string; blue: string; orange: string; green: string; red: string; purple: string; font: string }

export function palette(): Palette {
  return {
    fg: cssVar('foreground', '#cccccc'), muted: cssVar('descriptionForeground', '#999999'), grid: cssVar('editorIndentGuide-background1', cssVar('panel-border', '#80808040')),
    blue: cssVar('charts-blue', '#3794ff'), orange: cssVar('charts-orange', '#d18616'), green: cssVar('charts-green', '#89d185'),
    red: cssVar('charts-red', '#f14c4c'), purple: cssVar('charts-purple', '#b180d7'),
    font: `11px ${cssVar('font-family', 'sans-serif')}`,
  };
}

/** Axis options in the theme's colours. */
export function axis(p: Palette, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
  return { stroke: p.muted, grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1 }, font: p.font, labelFont: p.font, ...extra };
}

/** A colour with an alpha (hex #rrggbb only; others are returned as they are). */
export function alpha(c: string, a: number): string {
  return /^#[0-9a-f]{6}$/i.test(c) ? c + Math.round(a * 255).toString(16).padStart(2, '0') : c;
}

export const bars = (): uPlot.Series.PathBuilder => uPlot.paths.bars!({ size: [0.9, 60], align: 0 });

/** Holds one uPlot in an element; draw() replaces it. */
export class ChartSlot {
  private plot?: uPlot;
  draw(el: HTMLElement | null, opts: uPlot.Options, data: uPlot.AlignedData): void {
    this.destroy();
    if (!el) return;
    el.textContent = '';
    this.plot = new uPlot(opts, data, el);
  }
  destroy(): void { this.plot?.destroy(); this.plot = undefined; }
}
