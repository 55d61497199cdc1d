// Python front end: source text → our syntax tree (ast.ts) with source offsets, and the syntax error
// CPython would report (one, at its line). lezer parses (lezerParse.ts), convert.ts builds the tree,
// tokenize.ts and syntaxErrors.ts find the error. Must not evaluate anything.
import type { ParsedFile, SyntaxProblem } from './ast';
import { Converter } from './convert';
import { lezerParse, type ParseLimit } from './lezerParse';
import { chooseError, failureAt, indentFailure, type Failure } from './syntaxErrors';
import { tokenize } from './tokenize';

export function parsePython(path: string, source: string): ParsedFile {
  const { tree, limit } = lezerParse(path, source);
  const conv = new Converter(source);
  tree.iterate({ enter: (node) => { if (node.type.isError) conv.errorStarts.push(node.from); } });
  const body = conv.block(tree.topNode);
  const primary = syntaxError(source, conv.errorStarts, limit);
  // one syntax error, where CPython reports it; the converter's own notes only on files without one
  const problems = primary ? [primary] : conv.problems;
  // comments (kids() skips them inside expressions): collect them all once
  conv.comments.length = 0;
  const cursor = tree.cursor();
  do { if (cursor.name === 'Comment') conv.comments.push({ s: cursor.from, text: source.slice(cursor.from, cursor.to) }); } while (cursor.next());
  problems.sort((a, b) => a.s - b.s);
  conv.comments.sort((a, b) => a.s - b.s);
  return { path, source, body, problems, comments: conv.comments };
}

/** The earliest parser failure (lezer's first error node, the indentation rules, a parse limit) → CPython's error. */
function syntaxError(source: string, errorStarts: number[], limit: ParseLimit | undefined): SyntaxProblem | undefined {
  const toks = tokenize(source);
  const fails: Failure[] = [];
  if (errorStarts.length) fails.push(failureAt(toks, Math.min(...errorStarts)));
  const indent = indentFailure(toks.toks, source);
  if (indent) fails.push(indent);
  if (limit) {
    fails.push({
      s: limit.pos, e: limit.pos + 1, line: 0, kind: 'limit',
      message: limit.kind === 'budget' ? 'the file is too large or complex to parse within the analysis budget; parsing stopped here'
        : 'code nested too deeply: LayerLens follows about 700 chained conditional expressions, 900 nested lambdas, 1,400 chained ** or 2,900 chained operators',
    });
  }
  const first = fails.reduce<Failure | undefined>((a, f) => (!a || f.s < a.s ? f : a), undefined);
  return chooseError(source, toks, first);
}
