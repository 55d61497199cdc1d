#!/usr/bin/python3
"""CPython's verdict on each source: reads a JSON list of strings on stdin, writes a JSON list of verdicts.

Test-time tool for the parser differential (scripts/parseCorpus.mjs); the product never runs Python.
A verdict is {"ok": true} or {"line": N, "kind": "syntax" | "limit" | "nul", "msg": "..."}; it never
executes the sources (compile() only)."""
import json
import re
import sys
import warnings


def verdict(src):
    try:
        compile(src, "<corpus>", "exec", dont_inherit=True)
        return {"ok": True}
    except SyntaxError as e:  # includes IndentationError and TabError
        return {"line": e.lineno or 0, "kind": "syntax", "msg": f"{type(e).__name__}: {e.msg}"}
    except ValueError as e:  # 3.11: "source code string cannot contain null bytes" (no line)
        # the NUL's line, counting \r\n, \r and \n as compile() does
        line = len(re.split(r"\r\n|\r|\n", src[: src.index("\0")])) if "\0" in src else 0
        return {"line": line, "kind": "nul", "msg": str(e)}
    except (RecursionError, MemoryError) as e:  # CPython's own depth limits, not the language's
        return {"line": 0, "kind": "limit", "msg": f"{type(e).__name__}: {e}"}


def main():
    warnings.simplefilter("ignore")
    sys.setrecursionlimit(1000)  # the default: the limits recorded are those of a stock interpreter
    json.dump([verdict(s) for s in json.load(sys.stdin)], sys.stdout)


if __name__ == "__main__":
    main()
