// Localization keys: every contributed string of package.json is a %key% of package.nls.json, and every
// translation file has exactly the English file's keys (no missing, no stale) with the same {0} placeholders;
// every vscode.l10n.t / l10n.t string of the sources (and the activation cautions of the layer catalogue,
// which hovers translate) is in each runtime bundle (l10n/bundle.l10n.<lang>.json).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../engine';

const root = resolve(__dirname, '../..');
const json = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8'));
const nls = json('package.nls.json') as Record<string, string>;
const translations = readdirSync(root).filter((f) => /^package\.nls\.[\w-]+\.json$/.test(f));
const bundles = readdirSync(join(root, 'l10n')).filter((f) => /^bundle\.l10n\.[\w-]+\.json$/.test(f));
const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
const commandLinks = (s: string) => [...s.matchAll(/\(command:[\w.]+\)/g)].map((m) => m[0]);

/**
 * Every string literal passed as the first argument of l10n.t( (TypeScript sources of extension/ and webview/),
 * and message/comment of each l10n.t({ message: '…', comment: ['…'] }).
 */
function runtimeKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (dir: string): string[] => readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
  for (const f of [...walk('extension'), ...walk('webview')]) {
    const src = readFileSync(join(root, f), 'utf8');
    for (const m of src.matchAll(/\bl10n\.t\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\$]|\\.)*`)/g)) {
      keys.add(JSON.parse(m[1][0] === '"' ? m[1] : `"${m[1].slice(1, -1).replace(/\\'/g, "'").replace(/\\`/g, '`').replace(/"/g, '\\"')}"`));
    }
    // l10n.t({ message, comment: [...] }): the bundle's key is message/comment, as @vscode/l10n looks it up
    for (const m of src.matchAll(/\bl10n\.t\(\{\s*message:\s*'((?:[^'\\]|\\.)*)',\s*comment:\s*\['((?:[^'\\]|\\.)*)'\]/g)) {
      keys.add(`${m[1]}/${m[2]}`.replace(/\\'/g, "'"));
    }
  }
  // the layer catalogue's activation cautions, shown in hovers through l10n.t(note) (providers/formulas.ts)
  for (const a of ACTIVATIONS) if (a.note) keys.add(a.note);
  return keys;
}

describe('package.nls', () => {
  it('every %key% of package.json is in package.nls.json, and every key there is used', () => {
    const pkg = readFileSync(join(root, 'package.json'), 'utf8');
    const used = new Set([...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    expect([...used].filter((k) => !(k in nls))).toEqual([]);
    expect(Object.keys(nls).filter((k) => !used.has(k))).toEqual([]);
  });

  it('no contributed title or description is left as a literal', () => {
    const pkg = json('package.json');
    const literal: string[] = [];
    const visit = (v: unknown, path: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`);
      else if (typeof v === 'string' && /\.(title|description|markdownDescription|altText|enumDescriptions\[\d+\])$/.test(path) && !/^%.+%$/.test(v)) literal.push(path);
    };
    visit(pkg.contributes, 'contributes');
    expect(literal).toEqual([]);
  });

  it.each(translations)('%s has exactly the English keys, placeholders and command links', (f) => {
    const t = json(f) as Record<string, string>;
    expect(Object.keys(t).sort()).toEqual(Object.keys(nls).sort());
    for (const k of Object.keys(nls)) {
      expect(placeholders(t[k]), k).toEqual(placeholders(nls[k]));
      expect(commandLinks(t[k]), k).toEqual(commandLinks(nls[k]));
    }
  });

  it('there is a Chinese translation', () => {
    expect(translations).toContain('package.nls.zh-cn.json');
    expect(bundles).toContain('bundle.l10n.zh-cn.json');
  });
});

describe('runtime bundles', () => {
  const keys = runtimeKeys();

  it('the sources use l10n.t', () => {
    expect(keys.size).toBeGreaterThan(20);
  });

  it.each(bundles)('%s translates every l10n.t string (same placeholders) and nothing else', (f) => {
    const b = json(`l10n/${f}`) as Record<string, string>;
    expect([...keys].filter((k) => !(k in b))).toEqual([]);
    expect(Object.keys(b).filter((k) => !keys.has(k))).toEqual([]);
    for (const k of keys) expect(placeholders(b[k]), k).toEqual(placeholders(k));
  });
});
