// Expression evaluation and assignment targets.

import type { Expr } from './ast.js';
import { CmdletError, errorInfo } from './errors.js';
import type { Interpreter, Scope } from './interpreter.js';
import { getMember, indexValue, invokeMethod, setIndex, setMember } from './members.js';
import { binaryOp, formatComposite, type OperatorHooks } from './operators.js';
import { castValue, normalizeTypeName } from './types.js';
import { collapse, enumerate, PsHashtable, PsScriptBlock, PsTypeRef, toBool, toNumber, toStr, type PsValue } from './values.js';

/** Marker for `[void]` casts: the expression produces no output. */
export const VOID = Symbol('void');

export function readVariable<M>(ip: Interpreter<M>, name: string, scopeName: string | undefined, scope: Scope): PsValue {
  if (scopeName === 'env') return ip.table.envVariable(ip.machine, name) ?? null;
  if (scopeName === 'global' || scopeName === 'script') return ip.getVariable(name, scope.root());
  if (scopeName === 'variable') return ip.getVariable(name, scope);
  return ip.getVariable(name, scope);
}

function hooks<M>(ip: Interpreter<M>, scope: Scope): OperatorHooks {
  return {
    setMatches(m) {
      const t = new PsHashtable();
      m.forEach((g, i) => {
        if (g !== undefined) t.set(i, g);
      });
      for (const [k, g] of Object.entries(m.groups ?? {})) if (g !== undefined) t.set(k, g);
      scope.set('Matches', t);
    },
    formatString: formatComposite,
  };
}

export function evalExpr<M>(ip: Interpreter<M>, e: Expr, scope: Scope): PsValue {
  switch (e.kind) {
    case 'const':
      return e.value;
    case 'expandable':
      return e.parts.map((p) => (typeof p === 'string' ? p : toStr(evalExpr(ip, p, scope)))).join('');
    case 'var':
      return readVariable(ip, e.name, e.scope, scope);
    case 'array':
      return e.items.map((i) => evalExpr(ip, i, scope));
    case 'arraySub': {
      const out: PsValue[] = [];
      ip.execBlock(e.body, scope, out);
      return out;
    }
    case 'subExpr': {
      const out: PsValue[] = [];
      ip.execBlock(e.body, scope, out);
      return collapse(out);
    }
    case 'paren': {
      if (e.statement.kind === 'assign') {
        ip.execStatement(e.statement, scope, []);
        return evalExpr(ip, e.statement.target.kind === 'cast' ? e.statement.target.expr : e.statement.target, scope);
      }
      return ip.statementValue(e.statement, scope);
    }
    case 'hashtable': {
      const t = new PsHashtable();
      for (const entry of e.entries) {
        const key = evalExpr(ip, entry.key, scope);
        if (t.has(key)) {
          throw new CmdletError(errorInfo(`Duplicate keys '${toStr(key)}' are not allowed in hash literals.`, 'ParserError', 'DuplicateKeyInHashLiteral', 'ParseException'), true);
        }
        t.set(key, ip.statementValue(entry.value, scope));
      }
      return t;
    }
    case 'scriptblock':
      return new PsScriptBlock(e.block);
    case 'cast': {
      const t = normalizeTypeName(e.type);
      const v = evalExpr(ip, e.expr, scope);
      if (t === 'ordered') {
        if (!(v instanceof PsHashtable)) throw new CmdletError(errorInfo('The ordered attribute can be specified only on a hash literal node.', 'ParserError', 'OrderedAttributeOnlyOnHashLiteralNode'), true);
        const o = new PsHashtable(true);
        for (const [k, x] of v.entries()) o.set(k, x);
        return o;
      }
      if (t === 'void') return VOID;
      return castValue(e.type, v);
    }
    case 'typeLiteral':
      return new PsTypeRef(e.type);
    case 'member': {
      const name = typeof e.name === 'string' ? e.name : toStr(evalExpr(ip, e.name, scope));
      const target = evalExpr(ip, e.target, scope);
      if (e.isStatic) return ip.table.staticMember(ip.machine, typeNameOfRef(target), name, null);
      return getMember(ip, target, name);
    }
    case 'invoke': {
      const target = evalExpr(ip, e.target, scope);
      const args = e.args.map((a) => evalExpr(ip, a, scope));
      if (e.isStatic) return ip.table.staticMember(ip.machine, typeNameOfRef(target), e.name, args);
      return invokeMethod(ip, target, e.name, args);
    }
    case 'index':
      return indexValue(evalExpr(ip, e.target, scope), evalExpr(ip, e.index, scope));
    case 'unary':
      return evalUnary(ip, e, scope);
    case 'postfix': {
      const old = evalExpr(ip, e.operand, scope);
      assignTo(ip, e.operand, toNumber(old) + (e.op === '++' ? 1 : -1), scope);
      return old;
    }
    case 'binary': {
      if (e.op === 'and') return toBool(evalExpr(ip, e.left, scope)) && toBool(evalExpr(ip, e.right, scope));
      if (e.op === 'or') return toBool(evalExpr(ip, e.left, scope)) || toBool(evalExpr(ip, e.right, scope));
      const left = evalExpr(ip, e.left, scope);
      const right = evalExpr(ip, e.right, scope);
      if (e.op === 'as') {
        try {
          return castValue(right instanceof PsTypeRef ? right.name : toStr(right), left);
        } catch {
          return null;
        }
      }
      return binaryOp(e.op, left, right, hooks(ip, scope));
    }
  }
}

function typeNameOfRef(v: PsValue): string {
  if (v instanceof PsTypeRef) return normalizeTypeName(v.name);
  throw new CmdletError(errorInfo('Static members can only be accessed on type literals such as [IO.File].', 'InvalidOperation', 'UnsupportedSyntax'), true);
}

function evalUnary<M>(ip: Interpreter<M>, e: Extract<Expr, { kind: 'unary' }>, scope: Scope): PsValue {
  if (e.op === '++' || e.op === '--') {
    const v = toNumber(evalExpr(ip, e.operand, scope)) + (e.op === '++' ? 1 : -1);
    assignTo(ip, e.operand, v, scope);
    return v;
  }
  const v = evalExpr(ip, e.operand, scope);
  switch (e.op) {
    case 'not': return !toBool(v);
    case '-': return -toNumber(v);
    case '+': return toNumber(v);
    case 'bnot': return ~toNumber(v);
    case 'join': return enumerate(v).map(toStr).join('');
    case 'split': return enumerate(v).flatMap((s) => toStr(s).trim().split(/\s+/));
    default: throw new Error(`unknown unary ${e.op}`);
  }
}

export function assignTo<M>(ip: Interpreter<M>, target: Expr, value: PsValue, scope: Scope): void {
  switch (target.kind) {
    case 'var':
      if (target.scope === 'env') ip.table.setStaticMember(ip.machine, 'environment', target.name, value);
      else if (target.scope === 'global' || target.scope === 'script') scope.root().set(target.name, value);
      else if (target.name === 'null') return;
      else scope.set(target.name, value);
      return;
    case 'member': {
      const name = typeof target.name === 'string' ? target.name : toStr(evalExpr(ip, target.name, scope));
      const obj = evalExpr(ip, target.target, scope);
      if (target.isStatic) ip.table.setStaticMember(ip.machine, typeNameOfRef(obj), name, value);
      else setMember(obj, name, value);
      return;
    }
    case 'index':
      setIndex(evalExpr(ip, target.target, scope), evalExpr(ip, target.index, scope), value);
      return;
    default:
      throw new CmdletError(errorInfo('The assignment expression is not valid.', 'ParserError', 'InvalidLeftHandSide'), true);
  }
}
