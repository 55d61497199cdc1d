// Our own small Python syntax tree: what the interpreter walks. Built from @lezer/python's tree by parse.ts.
// Every node carries source offsets `s`..`e` into its file; nothing here evaluates anything.

export interface Span { s: number; e: number }

export type Expr =
  | (Span & { k: 'Name'; id: string })
  /** A numeric literal. `imag`: a complex literal `2j` (v is its imaginary part). `big`: the exact decimal
   *  digits of an integer literal above 2^53 − 1, where `v` is only the nearest double. */
  | (Span & { k: 'Num'; v: number; float: boolean; imag?: true; big?: string })
  | (Span & { k: 'Str'; v: string; bytes: boolean })
  | (Span & { k: 'FStr'; parts: FPart[] })
  | (Span & { k: 'Const'; v: 'None' | 'True' | 'False' | 'Ellipsis' })
  | (Span & { k: 'Attr'; obj: Expr; name: string; nameS: number })
  | (Span & { k: 'Sub'; obj: Expr; index: Expr })
  | (Span & { k: 'Slice'; lo?: Expr; hi?: Expr; step?: Expr })
  | (Span & { k: 'Call'; fn: Expr; args: Arg[] })
  | (Span & { k: 'Bin'; op: string; l: Expr; r: Expr })
  | (Span & { k: 'Unary'; op: string; e1: Expr })
  | (Span & { k: 'Bool'; op: 'and' | 'or'; l: Expr; r: Expr })
  | (Span & { k: 'Compare'; first: Expr; ops: string[]; rest: Expr[] })
  | (Span & { k: 'IfExp'; test: Expr; body: Expr; orelse: Expr })
  | (Span & { k: 'Lambda'; params: Param[]; body: Expr })
  | (Span & { k: 'List' | 'Tuple' | 'Set'; elts: Expr[] })
  | (Span & { k: 'Starred'; e1: Expr })
  | (Span & { k: 'Dict'; items: DictItem[] })
  | (Span & { k: 'Comp'; kind: 'list' | 'set' | 'gen' | 'dict'; elt: Expr; value?: Expr; gens: CompFor[] })
  | (Span & { k: 'Walrus'; target: string; value: Expr })
  | (Span & { k: 'Error'; text: string });

export type FPart = string | { expr: Expr; conv?: string; spec?: FPart[] };

export interface Arg { kind: 'pos' | 'star' | 'kw' | 'dstar'; name?: string; value: Expr; s: number; e: number }

export type DictItem = { key: Expr; value: Expr } | { dstar: Expr };

export interface CompFor { target: Expr; iter: Expr; ifs: Expr[] }

export interface Param {
  name: string;
  kind: 'pos' | 'kwonly' | 'varargs' | 'varkw';
  default?: Expr;
  s: number;
  e: number;
}

export interface ImportName { name: string; asName?: string; s: number; e: number }

export type Stmt =
  | (Span & { k: 'Expr'; value: Expr })
  | (Span & { k: 'Assign'; targets: Expr[]; value: Expr })
  | (Span & { k: 'AugAssign'; target: Expr; op: string; value: Expr })
  | (Span & { k: 'AnnAssign'; target: Expr; annotation?: Expr; value?: Expr })
  | (Span & { k: 'Return'; value?: Expr })
  | (Span & { k: 'If'; test: Expr; body: Stmt[]; orelse: Stmt[] })
  | (Span & { k: 'For'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] })
  | (Span & { k: 'While'; test: Expr; body: Stmt[]; orelse: Stmt[] })
  | (Span & { k: 'Break' | 'Continue' | 'Pass' })
  | (Span & { k: 'Import'; names: ImportName[] })
  | (Span & { k: 'ImportFrom'; level: number; module: string; names: ImportName[] | '*' })
  | (Span & { k: 'FunctionDef'; name: string; nameS: number; params: Param[]; body: Stmt[]; decorators: Expr[] })
  | (Span & { k: 'ClassDef'; name: string; nameS: number; bases: Arg[]; body: Stmt[]; decorators: Expr[] })
  | (Span & { k: 'Try'; body: Stmt[]; handlers: Handler[]; orelse: Stmt[]; finalbody: Stmt[] })
  | (Span & { k: 'With'; items: Array<{ ctx: Expr; target?: Expr }>; body: Stmt[] })
  | (Span & { k: 'Assert'; test: Expr; msg?: Expr })
  | (Span & { k: 'Raise'; exc?: Expr })
  | (Span & { k: 'Global' | 'Nonlocal'; names: string[] })
  | (Span & { k: 'Del'; targets: Expr[] })
  | (Span & { k: 'Unsupported'; what: string });

export interface Handler { type?: Expr; name?: string; body: Stmt[]; s: number; e: number }

export interface SyntaxProblem { s: number; e: number; message: string }

export interface ParsedFile {
  path: string;
  source: string;
  body: Stmt[];
  problems: SyntaxProblem[];
  /** Offsets of `# layerlens: ...` and other comments, for input-shape discovery. */
  comments: Array<{ s: number; text: string }>;
}
