// The syntax tree of the PowerShell subset the lab host runs (see ../POWERSHELL.md). Every node keeps
// its source position so runtime errors can print PowerShell's "At line:L char:C" context.

export interface Pos {
  /** 0-based offset into the script text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface ScriptBlockAst {
  kind: 'scriptblock';
  params: ParamDecl[];
  body: Statement[];
  pos: Pos;
  /** Source text between the braces (what `$sb.ToString()` returns). */
  text: string;
  /** The whole text this block was parsed from: positions inside it refer to this. */
  source: string;
}

export interface ParamDecl {
  name: string;
  type?: string;
  mandatory: boolean;
  defaultValue?: Expr;
  pos: Pos;
}

export type Statement =
  | PipelineStmt
  | AssignStmt
  | IfStmt
  | ForeachStmt
  | WhileStmt
  | TryStmt
  | FlowStmt
  | FunctionStmt;

export interface PipelineStmt {
  kind: 'pipeline';
  elements: PipelineElement[];
  pos: Pos;
  end: number;
}

export type PipelineElement = CommandAst | ExprElement;

export interface ExprElement {
  kind: 'exprElement';
  expr: Expr;
  redirects: Redirect[];
  pos: Pos;
}

export interface CommandAst {
  kind: 'command';
  /** A bareword name, or an expression after the call operator `&`. */
  name: string | Expr;
  /** `&` (new scope) or `.` (dot-source); null for a plain command. */
  invocation: '&' | '.' | null;
  args: CommandArg[];
  redirects: Redirect[];
  pos: Pos;
  end: number;
}

export type CommandArg =
  | { kind: 'param'; name: string; value?: Expr; pos: Pos }
  | { kind: 'value'; value: Expr; pos: Pos }
  | { kind: 'splat'; variable: string; pos: Pos };

/** `N>&1` (N = 2..6 or *), `N>$null`, `N> file`, `N>> file`; N defaults to 1. */
export interface Redirect {
  stream: '1' | '2' | '3' | '4' | '5' | '6' | '*';
  /** 'merge' means `N>&1`. */
  target: 'merge' | Expr;
  append: boolean;
  pos: Pos;
}

export interface AssignStmt {
  kind: 'assign';
  target: Expr;
  op: '=' | '+=' | '-=' | '*=' | '/=';
  value: Statement;
  pos: Pos;
}

export interface IfStmt {
  kind: 'if';
  clauses: { condition: PipelineStmt; body: Statement[] }[];
  elseBody?: Statement[];
  pos: Pos;
}

export interface ForeachStmt {
  kind: 'foreach';
  variable: string;
  iterable: PipelineStmt;
  body: Statement[];
  pos: Pos;
}

export interface WhileStmt {
  kind: 'while';
  condition: PipelineStmt;
  body: Statement[];
  pos: Pos;
}

export interface TryStmt {
  kind: 'try';
  body: Statement[];
  catches: { types: string[]; body: Statement[] }[];
  finallyBody?: Statement[];
  pos: Pos;
}

export interface FlowStmt {
  kind: 'throw' | 'exit' | 'return' | 'break' | 'continue';
  value?: PipelineStmt;
  pos: Pos;
  end: number;
}

export interface FunctionStmt {
  kind: 'function';
  name: string;
  body: ScriptBlockAst;
  pos: Pos;
}

export type Expr =
  | { kind: 'const'; value: string | number | boolean | null; pos: Pos }
  | { kind: 'expandable'; parts: (string | Expr)[]; pos: Pos }
  | { kind: 'var'; name: string; scope?: string; pos: Pos }
  | { kind: 'array'; items: Expr[]; pos: Pos }
  | { kind: 'arraySub'; body: Statement[]; pos: Pos }
  | { kind: 'subExpr'; body: Statement[]; pos: Pos }
  | { kind: 'paren'; statement: Statement; pos: Pos }
  | { kind: 'hashtable'; entries: { key: Expr; value: Statement }[]; pos: Pos }
  | { kind: 'scriptblock'; block: ScriptBlockAst; pos: Pos }
  | { kind: 'cast'; type: string; expr: Expr; pos: Pos }
  | { kind: 'typeLiteral'; type: string; pos: Pos }
  | { kind: 'member'; target: Expr; name: string | Expr; isStatic: boolean; pos: Pos }
  | { kind: 'invoke'; target: Expr; name: string; isStatic: boolean; args: Expr[]; pos: Pos }
  | { kind: 'index'; target: Expr; index: Expr; pos: Pos }
  | { kind: 'unary'; op: string; operand: Expr; pos: Pos }
  | { kind: 'postfix'; op: '++' | '--'; operand: Expr; pos: Pos }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; pos: Pos };

export type ExprKind = Expr['kind'];
