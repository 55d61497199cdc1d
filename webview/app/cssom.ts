// A Lit element directive that sets style properties through the CSSOM (element.style.setProperty), never
// as a `style` attribute: Lit's styleMap writes the attribute on first render, which the panel's CSP
// (no 'unsafe-inline' styles) blocks. Usage: <span ${cssom({ width: '40%' })}>.
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

class CssomStyle extends Directive {
  private keys = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('cssom() goes on an element: <span ${cssom({...})}>');
  }

  render(_props: Record<string, string>): unknown { return noChange; }

  override update(part: ElementPart, [props]: [Record<string, string>]): unknown {
    const style = (part.element as HTMLElement).style;
    for (const k of this.keys) if (!(k in props)) style.removeProperty(k);
    for (const [k, v] of Object.entries(props)) style.setProperty(k, v);
    this.keys = new Set(Object.keys(props));
    return noChange;
  }
}

export const cssom = directive(CssomStyle);
