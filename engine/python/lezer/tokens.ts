// External tokenizers and the indentation context for python.grammar: @lezer/python 1.1.19's
// src/tokens.js (MIT, see LICENSE here) ported to TypeScript, without the Python 2 print tokenizer; the
// changes in behaviour are marked NOTE. Lexing only: nothing here looks at the syntax tree.
import { ContextTracker, ExternalTokenizer, type InputStream } from '@lezer/lr';
import {
  newline as newlineToken, eof, newlineBracketed, blankLineStart, indent, dedent,
  ParenthesizedExpression, TupleExpression, ComprehensionExpression,
  PatternArgList, SequencePattern, MappingPattern, TypeParamList,
  ArrayExpression, ArrayComprehensionExpression, ArgList, ParamList, importList, subscript,
  DictionaryExpression, DictionaryComprehensionExpression, SetExpression, SetComprehensionExpression,
  String as StringTerm, FormatString, FormatReplacement, nestedFormatReplacement,
  stringStart, stringStartD, stringStartL, stringStartLD,
  stringStartR, stringStartRD, stringStartRL, stringStartRLD,
  stringStartF, stringStartFD, stringStartFL, stringStartFLD,
  stringStartFR, stringStartFRD, stringStartFRL, stringStartFRLD,
  stringContent, Escape, replacementStart, stringEnd,
  ParenL, BraceL, BracketL, WithItems,
} from './parser.terms';

const newline = 10, carriageReturn = 13, space = 32, tab = 9, formFeed = 12, hash = 35,
  braceOpen = 123, braceClose = 125, singleQuote = 39, doubleQuote = 34, backslash = 92,
  letterO = 111, letterX = 120, letterN = 78, letterU = 117, letterBigU = 85;

const bracketed = new Set([
  ParenthesizedExpression, TupleExpression, ComprehensionExpression, importList, ArgList, ParamList,
  ArrayExpression, ArrayComprehensionExpression, subscript,
  SetExpression, SetComprehensionExpression, FormatString, FormatReplacement, nestedFormatReplacement,
  DictionaryExpression, DictionaryComprehensionExpression,
  SequencePattern, MappingPattern, PatternArgList, TypeParamList, WithItems,
]);

const isLineBreak = (ch: number): boolean => ch === newline || ch === carriageReturn;
const isHex = (ch: number): boolean => (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 70) || (ch >= 97 && ch <= 102);

// Flags used in Context objects
const cxBracketed = 1, cxString = 2, cxDoubleQuote = 4, cxLong = 8, cxRaw = 16, cxFormat = 32;

class Context {
  readonly hash: number;
  constructor(readonly parent: Context | null, readonly indent: number, readonly flags: number) {
    this.hash = (parent ? (parent.hash + parent.hash) << 8 : 0) + indent + (indent << 4) + flags + (flags << 6);
  }
}

const topIndent = new Context(null, 0, 0);

function countIndent(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    depth = ch === tab ? depth + 8 - (depth % 8) : ch === formFeed ? 0 : depth + 1;
  }
  return depth;
}

/** NOTE: after `\\` + line break the next line is a continuation: its line break ends the statement
 *  (upstream lezer/python took an empty line there for a blank one and failed on valid code). */
function afterContinuation(input: InputStream): boolean {
  const a = input.peek(-1), b = input.peek(-2);
  return b === backslash || (a === newline && b === carriageReturn && input.peek(-3) === backslash);
}

export const newlines = new ExternalTokenizer((input, stack) => {
  let prev;
  if (input.next < 0) {
    input.acceptToken(eof);
  } else if ((stack.context as Context).flags & cxBracketed) {
    if (isLineBreak(input.next)) input.acceptToken(newlineBracketed, 1);
  } else if (((prev = input.peek(-1)) < 0 || isLineBreak(prev)) && !afterContinuation(input) && stack.canShift(blankLineStart)) {
    let spaces = 0;
    while (input.next === space || input.next === tab) { input.advance(); spaces++; }
    if (input.next === newline || input.next === carriageReturn || input.next === hash) input.acceptToken(blankLineStart, -spaces);
  } else if (isLineBreak(input.next)) {
    input.acceptToken(newlineToken, 1);
  }
}, { contextual: true });

export const indentation = new ExternalTokenizer((input, stack) => {
  const context = stack.context as Context;
  if (context.flags) return;
  const prev = input.peek(-1);
  if (prev === newline || prev === carriageReturn) {
    let depth = 0, chars = 0;
    for (;;) {
      if (input.next === space) depth++;
      else if (input.next === tab) depth += 8 - (depth % 8);
      else if (input.next === formFeed) depth = 0; // NOTE: CPython restarts the count at a form feed
      else break;
      input.advance();
      chars++;
    }
    if (depth !== context.indent && input.next !== newline && input.next !== carriageReturn && input.next !== hash) {
      if (depth < context.indent) input.acceptToken(dedent, -chars);
      else input.acceptToken(indent);
    }
  }
});

const stringFlags = new Map<number, number>([
  [stringStart, 0],
  [stringStartD, cxDoubleQuote],
  [stringStartL, cxLong],
  [stringStartLD, cxLong | cxDoubleQuote],
  [stringStartR, cxRaw],
  [stringStartRD, cxRaw | cxDoubleQuote],
  [stringStartRL, cxRaw | cxLong],
  [stringStartRLD, cxRaw | cxLong | cxDoubleQuote],
  [stringStartF, cxFormat],
  [stringStartFD, cxFormat | cxDoubleQuote],
  [stringStartFL, cxFormat | cxLong],
  [stringStartFLD, cxFormat | cxLong | cxDoubleQuote],
  [stringStartFR, cxFormat | cxRaw],
  [stringStartFRD, cxFormat | cxRaw | cxDoubleQuote],
  [stringStartFRL, cxFormat | cxRaw | cxLong],
  [stringStartFRLD, cxFormat | cxRaw | cxLong | cxDoubleQuote],
].map(([term, flags]) => [term, flags | cxString]));

export const trackIndent = new ContextTracker<Context>({
  start: topIndent,
  reduce(context, term) {
    if (((context.flags & cxBracketed) && bracketed.has(term)) ||
        ((term === StringTerm || term === FormatString) && (context.flags & cxString))) return context.parent!;
    return context;
  },
  shift(context, term, stack, input) {
    // NOTE: InputStream.read is public in @lezer/lr's code but left out of its typings
    if (term === indent) return new Context(context, countIndent((input as InputStream & { read(from: number, to: number): string }).read(input.pos, stack.pos)), 0);
    if (term === dedent) return context.parent!;
    if (term === ParenL || term === BracketL || term === BraceL || term === replacementStart) return new Context(context, 0, cxBracketed);
    const flags = stringFlags.get(term);
    if (flags !== undefined) return new Context(context, 0, flags | (context.flags & cxBracketed));
    return context;
  },
  hash(context) { return context.hash; },
});

export const strings = new ExternalTokenizer((input, stack) => {
  const { flags } = stack.context as Context;
  const quote = flags & cxDoubleQuote ? doubleQuote : singleQuote;
  const long = (flags & cxLong) > 0;
  const escapes = !(flags & cxRaw);
  const format = (flags & cxFormat) > 0;

  const start = input.pos;
  for (;;) {
    if (input.next < 0) {
      break;
    } else if (format && input.next === braceOpen) {
      if (input.peek(1) === braceOpen) {
        input.advance(2);
      } else {
        if (input.pos === start) { input.acceptToken(replacementStart, 1); return; }
        break;
      }
    } else if (escapes && input.next === backslash) {
      if (input.pos === start) {
        input.advance();
        const escaped = input.next;
        if (escaped >= 0) { input.advance(); skipEscape(input, escaped); }
        input.acceptToken(Escape);
        return;
      }
      break;
    } else if (input.next === backslash && !escapes && input.peek(1) > -1) {
      // Raw strings still ignore escaped quotes, weirdly.
      input.advance(2);
    } else if (input.next === quote && (!long || (input.peek(1) === quote && input.peek(2) === quote))) {
      if (input.pos === start) { input.acceptToken(stringEnd, long ? 3 : 1); return; }
      break;
    } else if (input.next === newline) {
      if (long) input.advance();
      else if (input.pos === start) { input.acceptToken(stringEnd); return; }
      break;
    } else {
      input.advance();
    }
  }
  if (input.pos > start) input.acceptToken(stringContent);
});

function skipEscape(input: InputStream, ch: number): void {
  if (ch === letterO) {
    for (let i = 0; i < 2 && input.next >= 48 && input.next <= 55; i++) input.advance();
  } else if (ch === letterX) {
    for (let i = 0; i < 2 && isHex(input.next); i++) input.advance();
  } else if (ch === letterU) {
    for (let i = 0; i < 4 && isHex(input.next); i++) input.advance();
  } else if (ch === letterBigU) {
    for (let i = 0; i < 8 && isHex(input.next); i++) input.advance();
  } else if (ch === letterN) {
    if (input.next === braceOpen) {
      input.advance();
      const next = (): number => input.next; // re-read after advance() (TS narrows the property)
      while (next() >= 0 && next() !== braceClose && next() !== singleQuote && next() !== doubleQuote && next() !== newline) input.advance();
      if (next() === braceClose) input.advance();
    }
  }
}
