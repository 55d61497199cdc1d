// LineMap: where lines of analysed text are in a later version, and which edits cannot change the model
// (comments and blank lines only). Pure: documents are arrays of lines.
import { describe, expect, it } from 'vitest';
import { LineMap } from '../../extension/analysis/lineMap';

const doc = (lines: string[]) => ({ lineCount: lines.length, lineAt: (i: number) => ({ text: lines[i] }) });

const OLD = [
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.conv = nn.Conv2d(3, 8, 3)',
  '',
  '    def forward(self, x):',
  '        return self.conv(x)',
];

describe('LineMap.line', () => {
  it('same text: every line stays', () => {
    const m = new LineMap(OLD, doc([...OLD]));
    expect(m.identical).toBe(true);
    expect(OLD.map((_, i) => m.line(i))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('a line inserted above: lines below move down, lines above stay', () => {
    const now = [...OLD.slice(0, 3), '        self.extra = 1', ...OLD.slice(3)];
    const m = new LineMap(OLD, doc(now));
    expect([m.head, m.tail, m.delta]).toEqual([3, 4, 1]);
    expect(OLD.map((_, i) => m.line(i))).toEqual([0, 1, 2, 4, 5, 6, 7]);
  });

  it('a line removed: the lines below move up, the removed one is gone', () => {
    const now = [...OLD.slice(0, 4), ...OLD.slice(5)];
    const m = new LineMap(OLD, doc(now));
    expect(m.line(3)).toBe(3);
    expect(m.line(5)).toBe(4);
    expect(m.line(6)).toBe(5);
  });

  it('a changed line maps nowhere', () => {
    const now = [...OLD];
    now[3] = '        self.conv = nn.Conv2d(3, 16, 3)';
    const m = new LineMap(OLD, doc(now));
    expect(m.line(3)).toBeUndefined();
    expect(m.line(6)).toBe(6);
  });

  it('two edits apart: unchanged lines between them are found at the shifted place', () => {
    const now = ['# header', ...OLD.slice(0, 6), '        return self.conv(x) + 0'];
    const m = new LineMap(OLD, doc(now));
    expect(m.line(3)).toBe(4);
    expect(m.line(6)).toBeUndefined();
  });
});

describe('LineMap.onlyCommentsChanged', () => {
  const edited = (f: (l: string[]) => void) => { const l = [...OLD]; f(l); return new LineMap(OLD, doc(l)).onlyCommentsChanged(); };

  it('a comment typed on its own line', () => expect(edited((l) => l.splice(4, 0, '    # note'))).toBe(true));
  it('a blank line inserted', () => expect(edited((l) => l.splice(2, 0, ''))).toBe(true));
  it('a comment edited', () => {
    const base = [...OLD.slice(0, 4), '    # old', ...OLD.slice(4)];
    const now = [...OLD.slice(0, 4), '    # new text', ...OLD.slice(4)];
    expect(new LineMap(base, doc(now)).onlyCommentsChanged()).toBe(true);
  });
  it('code changed', () => expect(edited((l) => { l[3] = '        self.conv = nn.Conv2d(3, 16, 3)'; })).toBe(false));
  it('a trailing comment on a code line (the code line changed)', () => expect(edited((l) => { l[6] += '  # out'; })).toBe(false));
  it('a layerlens input hint', () => expect(edited((l) => l.splice(0, 0, '# layerlens: input=(1, 3, 64, 64)'))).toBe(false));
  it('inside a docstring', () => {
    const base = ['"""Doc', '# a', '"""', ...OLD];
    const now = ['"""Doc', '# b', '"""', ...OLD];
    expect(new LineMap(base, doc(now)).onlyCommentsChanged()).toBe(false);
  });
  it('after a line continuation', () => {
    const base = ['x = 1 + \\', '    2', ...OLD];
    const now = ['x = 1 + \\', '', '    2', ...OLD];
    expect(new LineMap(base, doc(now)).onlyCommentsChanged()).toBe(false);
  });
});
