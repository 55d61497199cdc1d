// The CommandId table and package.json's contributed commands name the same set, so a command can't be
// registered without being contributed (or contributed without a handler's name).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandId } from '../../extension/commands/commandIds';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

describe('CommandId', () => {
  it('equals the set of contributed commands', () => {
    const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    expect(Object.values(CommandId).sort()).toEqual(contributed);
  });
  it('every menu entry names a known command', () => {
    const known = new Set<string>(Object.values(CommandId));
    const menus = Object.values(pkg.contributes.menus ?? {}).flat() as { command: string }[];
    expect(menus.length).toBeGreaterThan(0);
    expect(menus.filter((m) => !known.has(m.command))).toEqual([]);
  });
});
