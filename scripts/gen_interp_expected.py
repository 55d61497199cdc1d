#!/usr/bin/python3
"""Expected values of the interpreter-semantics samples, from CPython itself.

Developer tool only (the product never runs Python). Each sample
test/fixtures/interp/NAME.py names the results to check in a module-level list
`CHECK = ['a', 'b', ...]`; this runs the sample with /usr/bin/python3 (numpy,
torch available) and writes NAME.expected.json = {name: repr(value)}.
test/engine/interpSemantics.test.ts runs the same file in LayerLens's
interpreter and compares repr() of each name.

Usage: gen_interp_expected.py [--check] [NAME ...]
"""
import json, os, runpy, sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'interp')


def expected(path):
    sys.path.insert(0, HERE)  # the samples import their shared helpers (_support.py)
    g = runpy.run_path(path, run_name='__sample__')
    return {name: repr(g[name]) for name in g['CHECK']}


def main(argv):
    check = '--check' in argv
    only = [a for a in argv if not a.startswith('--')]
    bad = 0
    for f in sorted(os.listdir(HERE)):
        if not f.endswith('_sample.py') or (only and f[:-3] not in only):
            continue
        got = expected(os.path.join(HERE, f))
        out = os.path.join(HERE, f[:-3] + '.expected.json')
        if check:
            old = json.load(open(out)) if os.path.exists(out) else None
            if old != got:
                bad += 1
                print('DIFFERS', f)
            continue
        with open(out, 'w') as fh:
            json.dump(got, fh, indent=1, ensure_ascii=False)
            fh.write('\n')
        print('wrote', out, len(got))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
