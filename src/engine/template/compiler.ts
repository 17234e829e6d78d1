// Code generation: nunjucks' compiler with the expression parts replaced so that the generated code
// calls our runtime (runtime.ts) for lookups, operators, truthiness, filters and tests. Everything
// else (loops, macros, whitespace control) is nunjucks' own.
import { TemplateFailure } from './errors.js';
import { child, exprText, filterName, startOf, testOf, unknownName } from './node-text.js';
import { FILTERS } from './filters/index.js';
import { Iterable, nj, Truthy, type NjNode } from './nunjucks-internals.js';
import { TESTS } from './tests.js';

/** Filters and tests that look at an undefined value instead of failing on it. */
const LENIENT_FILTERS = new Set(['default', 'd', 'mandatory']);
const LENIENT_TESTS = new Set(['defined', 'undefined']);
const OUR_NODES = new Set(['Truthy', 'Iterable', 'Slice', 'NativeResult']);
// Python's spellings; the lexer already turns true/false/none into literals.
const PY_LITERALS: Record<string, string> = { True: 'true', False: 'false', None: 'null' };
/** Binary operators, each a runtime function with Python semantics (operators.ts). */
const BINARY: Record<string, string> = { In: 'contains', Add: 'add', Sub: 'sub', Mul: 'mul', Div: 'div', FloorDiv: 'floorDiv', Mod: 'mod', Pow: 'pow', Concat: 'concat' };
const UNSUPPORTED = ['Include', 'Extends', 'Import', 'FromImport', 'Block', 'Super', 'CallExtension', 'CallExtensionAsync'];

interface CompileFrame {
  lookup(name: string): string | undefined;
}

interface NunjucksCompiler {
  _emit(code: string): void;
  _emitLine(code: string): void;
  _compileExpression(node: NjNode, frame: CompileFrame): void;
  _compileAggregate(node: NjNode, frame: CompileFrame, start?: string, end?: string): void;
  compile(node: NjNode, frame?: CompileFrame): void;
  assertType(node: NjNode, ...types: unknown[]): void;
  compileIf(node: NjNode, frame: CompileFrame, async?: boolean): void;
  compileFor(node: NjNode, frame: CompileFrame): void;
  compileDict(node: NjNode, frame: CompileFrame): void;
  getCode(): string;
  buffer: string;
}

const Base = nj.compiler.Compiler as unknown as new (name: string, throwOnUndefined: boolean) => NunjucksCompiler;

export class FpCompiler extends Base {
  constructor() {
    super('template', false);
    for (const [type, fn] of Object.entries(BINARY)) {
      (this as unknown as Record<string, unknown>)[`compile${type}`] = (node: NjNode, frame: CompileFrame) => this.binary(fn, node, frame);
    }
    for (const t of UNSUPPORTED) {
      (this as unknown as Record<string, unknown>)[`compile${t}`] = (node: NjNode) => {
        throw new TemplateFailure(`'${t.toLowerCase()}' is not supported in fleetplay templates`, node.lineno + 1, node.colno + 1);
      };
    }
  }

  override assertType(node: NjNode, ...types: unknown[]): void {
    if (!OUR_NODES.has(node.typename)) super.assertType(node, ...types);
  }

  private strictly(node: NjNode, emitValue: () => void): void {
    if (node.lenient) return emitValue();
    const [line, col] = startOf(node);
    this._emit('runtime.strict(');
    emitValue();
    this._emit(`, ${JSON.stringify(exprText(node))}, ${line}, ${col})`);
  }

  /** Records the node's position where nunjucks' error handler reads it, for operator errors. */
  private at(node: NjNode): void {
    this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, `);
  }

  private binary(fn: string, node: NjNode, frame: CompileFrame): void {
    this.at(node);
    this._emit(`runtime.${fn}(`);
    this.compile(child(node, 'left'), frame);
    this._emit(', ');
    this.compile(child(node, 'right'), frame);
    this._emit('))');
  }

  compileSymbol(node: NjNode, frame: CompileFrame): void {
    const name = String(node.value);
    const local = frame.lookup(name);
    if (local) return this._emit(local);
    if (Object.prototype.hasOwnProperty.call(PY_LITERALS, name)) return this._emit(PY_LITERALS[name]!);
    this.strictly(node, () => this._emit(`runtime.lookup(context, frame, ${JSON.stringify(name)})`));
  }

  compileLookupVal(node: NjNode, frame: CompileFrame): void {
    const target = child(node, 'target');
    const val = child(node, 'val');
    target.lenient = true;
    this.strictly(node, () => {
      if (val.typename === 'Slice') {
        this._emit('runtime.slice(');
        this.compile(target, frame);
        for (const f of ['start', 'stop', 'step']) {
          this._emit(', ');
          if (val[f]) this.compile(child(val, f), frame);
          else this._emit('null');
        }
        this._emit(')');
        return;
      }
      this._emit('runtime.member(');
      this.compile(target, frame);
      this._emit(', ');
      this.compile(val, frame);
      this._emit(`, ${JSON.stringify(exprText(target))})`);
    });
  }

  compileFunCall(node: NjNode, frame: CompileFrame): void {
    const callee = child(node, 'name');
    callee.lenient = true;
    const [line, col] = startOf(node);
    this._emit('runtime.call(');
    this.compile(callee, frame);
    this._emit(`, ${JSON.stringify(exprText(callee))}, context, `);
    this._compileAggregate(child(node, 'args'), frame, '[', ']');
    this._emit(`, ${line}, ${col})`);
  }

  compileFilter(node: NjNode, frame: CompileFrame): void {
    const nameNode = child(node, 'name');
    const name = filterName(String(nameNode.value));
    if (!Object.prototype.hasOwnProperty.call(FILTERS, name)) throw unknownName('filter', name, Object.keys(FILTERS), nameNode);
    const args = child(node, 'args');
    if (LENIENT_FILTERS.has(name)) args.children![0]!.lenient = true;
    this._emit(`runtime.filter(${JSON.stringify(name)}, context, `);
    this._compileAggregate(args, frame, '[', ']');
    this._emit(`, ${nameNode.lineno + 1}, ${nameNode.colno + 1})`);
  }

  compileIs(node: NjNode, frame: CompileFrame): void {
    const right = child(node, 'right');
    const { name, args } = testOf(right);
    if (!Object.prototype.hasOwnProperty.call(TESTS, name)) throw unknownName('test', name, Object.keys(TESTS), right);
    const left = child(node, 'left');
    if (LENIENT_TESTS.has(name)) left.lenient = true;
    this._emit(`runtime.test(${JSON.stringify(name)}, `);
    this.compile(left, frame);
    this._emit(', [');
    args.forEach((a, i) => {
      if (i > 0) this._emit(', ');
      this.compile(a, frame);
    });
    this._emit(`], ${right.lineno + 1}, ${right.colno + 1})`);
  }

  compileCompare(node: NjNode, frame: CompileFrame): void {
    const operands = child(node, 'ops') as unknown as NjNode[];
    this.at(operands[0] ?? node);
    this._emit('runtime.compare([');
    this.compile(child(node, 'expr'), frame);
    for (const op of operands) {
      this._emit(', ');
      this.compile(child(op, 'expr'), frame);
    }
    this._emit(`], ${JSON.stringify(operands.map((o) => o.type))}))`);
  }

  compileNeg(node: NjNode, frame: CompileFrame): void {
    this.at(node);
    this._emit('runtime.neg(');
    this.compile(child(node, 'target'), frame);
    this._emit('))');
  }

  compileNot(node: NjNode, frame: CompileFrame): void {
    this._emit('!runtime.truthy(');
    this.compile(child(node, 'target'), frame);
    this._emit(')');
  }

  private shortCircuit(fn: 'and' | 'or', node: NjNode, frame: CompileFrame): void {
    this._emit(`runtime.${fn}(`);
    this.compile(child(node, 'left'), frame);
    this._emit(', () => (');
    this.compile(child(node, 'right'), frame);
    this._emit('))');
  }
  compileAnd(node: NjNode, frame: CompileFrame): void {
    this.shortCircuit('and', node, frame);
  }
  compileOr(node: NjNode, frame: CompileFrame): void {
    this.shortCircuit('or', node, frame);
  }

  compileInlineIf(node: NjNode, frame: CompileFrame): void {
    this._emit('(runtime.truthy(');
    this.compile(child(node, 'cond'), frame);
    this._emit(') ? ');
    this.compile(child(node, 'body'), frame);
    this._emit(' : ');
    if (node.else_) this.compile(child(node, 'else_'), frame);
    else this._emit('""');
    this._emit(')');
  }

  override compileIf(node: NjNode, frame: CompileFrame, async?: boolean): void {
    const cond = child(node, 'cond');
    if (cond.typename !== 'Truthy') node.cond = new Truthy(cond.lineno, cond.colno, cond);
    super.compileIf(node, frame, async);
  }

  compileTruthy(node: NjNode, frame: CompileFrame): void {
    this._emit('runtime.truthy(');
    this.compile(child(node, 'target'), frame);
    this._emit(')');
  }

  override compileFor(node: NjNode, frame: CompileFrame): void {
    const arr = child(node, 'arr');
    const names = child(node, 'name').typename === 'Array' ? child(node, 'name').children!.length : 1;
    if (arr.typename !== 'Iterable') node.arr = new Iterable(arr.lineno, arr.colno, arr, names);
    super.compileFor(node, frame);
  }

  compileIterable(node: NjNode, frame: CompileFrame): void {
    this.at(node);
    this._emit('runtime.iterable(');
    this.compile(child(node, 'target'), frame);
    this._emit(`, ${Number(node.names)}))`);
  }

  /** `(a, b)` is a tuple in Jinja (a list here), not JavaScript's comma operator. */
  compileGroup(node: NjNode, frame: CompileFrame): void {
    if (node.children!.length === 1 && !node.tuple) this._compileAggregate(node, frame, '(', ')');
    else this._compileAggregate(node, frame, '[', ']');
  }

  /** Jinja dict keys are expressions (`{item.key: item.value}`); nunjucks only allows names/strings. */
  override compileDict(node: NjNode, frame: CompileFrame): void {
    if (node.typename === 'KeywordArgs') return super.compileDict(node, frame);
    this._emit('runtime.dict([');
    node.children!.forEach((pair, i) => {
      if (i > 0) this._emit(', ');
      this._emit('[');
      this.compile(child(pair, 'key'), frame);
      this._emit(', ');
      this.compile(child(pair, 'value'), frame);
      this._emit(']');
    });
    this._emit('])');
  }

  compileOutput(node: NjNode, frame: CompileFrame): void {
    for (const c of node.children!) {
      if (c.typename === 'TemplateData') {
        if (c.value) this._emitLine(`${this.buffer} += ${JSON.stringify(c.value)};`);
        continue;
      }
      this._emit(`${this.buffer} += runtime.output(`);
      this.compile(c, frame);
      this._emitLine(');');
    }
  }

  compileNativeResult(node: NjNode, frame: CompileFrame): void {
    this._emit('context.native = ');
    this.compile(child(node, 'expr'), frame);
    this._emitLine(';');
  }
}

