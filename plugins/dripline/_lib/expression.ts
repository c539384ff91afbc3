/**
 * A tiny arithmetic language for calibrations, parsed and evaluated here (never `eval`, never `Function`):
 * numbers, + - * / // % ** with Python's precedence, parentheses, the constants pi and e, and calls to a fixed
 * table of math functions (dripline-python evaluates calibrations with asteval, whose math names these are).
 * Anything else — attribute access, strings, unknown names — is an error, so a calibration cannot run code.
 */

export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: '+' | '-'; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] };

type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';

/** Why an expression could not be parsed or evaluated (becomes a 304 reply, or a config error at load). */
export class ExpressionError extends Error {
  /** Python's name for the failure: SyntaxError, NameError, ZeroDivisionError, ValueError, OverflowError. */
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.kind = kind;
  }
}

const FUNCTIONS: Readonly<Record<string, (...xs: number[]) => number>> = {
  abs: Math.abs,
  round: (x, n = 0) => roundHalfEven(x, n),
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)),
  log10: Math.log10,
  log2: Math.log2,
  sin: Math.sin, cos: Math.cos, tan: Math.tan,
  asin: Math.asin, acos: Math.acos, atan: Math.atan, atan2: Math.atan2,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
  hypot: Math.hypot,
  degrees: (x) => (x * 180) / Math.PI,
  radians: (x) => (x * Math.PI) / 180,
  floor: Math.floor, ceil: Math.ceil,
  int: Math.trunc,
  float: (x) => x,
  // the seed's kv_store calibration helpers (its tutorial calibrates chips with 'times3({})')
  times2: (x) => 2 * x,
  times3: (x) => 3 * x,
};
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, inf: Infinity };
/** Module prefixes asteval users write (`math.sqrt`, `np.log10`): accepted and ignored. */
const PREFIXES = ['math.', 'numpy.', 'np.'];

/** The function names a calibration may call. */
export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS).sort();

type Token = { t: 'num'; v: number } | { t: 'name'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][\w.]*)|(\*\*|\/\/|[-+*/%(),]))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new ExpressionError('SyntaxError', `unexpected ${JSON.stringify(src.slice(i).trim()[0])} at position ${i} in ${JSON.stringify(src)}`);
    if (m[1] !== undefined) out.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'name', v: m[2] });
    else out.push({ t: 'op', v: m[3] as string });
    i = re.lastIndex;
  }
  return out;
}

/** Parses `src`; throws ExpressionError (kind SyntaxError) when it is not an expression of this language. */
export function parseExpression(src: string): Expr {
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => toks[pos];
  const isOp = (v: string) => peek()?.t === 'op' && peek()?.v === v;
  const fail = (what: string): never => {
    throw new ExpressionError('SyntaxError', `${what} in ${JSON.stringify(src)}`);
  };
  const expect = (v: string) => (isOp(v) ? pos++ : fail(`expected "${v}"`));

  const additive = (): Expr => {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (toks[pos++] as Token).v as '+' | '-';
      left = { kind: 'binary', op, left, right: multiplicative() };
    }
    return left;
  };
  const multiplicative = (): Expr => {
    let left = unary();
    while (isOp('*') || isOp('/') || isOp('//') || isOp('%')) {
      const op = (toks[pos++] as Token).v as BinaryOp;
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  };
  // Python: -2**2 is -(2**2), and 2**-1 is 2**(-1): unary binds looser than ** on the left, tighter on the right
  const unary = (): Expr => {
    if (isOp('+') || isOp('-')) {
      const op = (toks[pos++] as Token).v as '+' | '-';
      return { kind: 'unary', op, arg: unary() };
    }
    return power();
  };
  const power = (): Expr => {
    const base = primary();
    if (isOp('**')) {
      pos++;
      return { kind: 'binary', op: '**', left: base, right: unary() };
    }
    return base;
  };
  const primary = (): Expr => {
    const tok = peek();
    if (!tok) return fail('unexpected end');
    pos++;
    if (tok.t === 'num') return { kind: 'num', value: tok.v };
    if (tok.t === 'name') {
      const name = stripPrefix(tok.v);
      if (!isOp('(')) return { kind: 'name', name };
      pos++;
      const args: Expr[] = [];
      if (!isOp(')')) {
        args.push(additive());
        while (isOp(',')) {
          pos++;
          args.push(additive());
        }
      }
      expect(')');
      return { kind: 'call', name, args };
    }
    if (tok.v === '(') {
      const inner = additive();
      expect(')');
      return inner;
    }
    return fail(`unexpected "${tok.v}"`);
  };

  if (toks.length === 0) fail('empty expression');
  const tree = additive();
  if (pos < toks.length) fail(`unexpected "${(toks[pos] as Token).v}"`);
  return tree;
}

function stripPrefix(name: string): string {
  for (const p of PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

/** Evaluates a parsed expression with Python's arithmetic rules (floor division and modulo, errors not NaN). */
export function evaluate(expr: Expr): number {
  switch (expr.kind) {
    case 'num':
      return expr.value;
    case 'name': {
      const v = Object.hasOwn(CONSTANTS, expr.name) ? CONSTANTS[expr.name] : undefined;
      if (v === undefined) throw new ExpressionError('NameError', `name '${expr.name}' is not defined`);
      return v;
    }
    case 'unary': {
      const v = evaluate(expr.arg);
      return expr.op === '-' ? -v : v;
    }
    case 'binary':
      return binary(expr.op, evaluate(expr.left), evaluate(expr.right));
    case 'call': {
      const fn = Object.hasOwn(FUNCTIONS, expr.name) ? FUNCTIONS[expr.name] : undefined;
      if (!fn) throw new ExpressionError('NameError', `name '${expr.name}' is not defined (functions: ${FUNCTION_NAMES.join(', ')})`);
      const result = fn(...expr.args.map(evaluate));
      if (Number.isNaN(result)) throw new ExpressionError('ValueError', `math domain error in ${expr.name}()`);
      return result;
    }
  }
}

function binary(op: BinaryOp, a: number, b: number): number {
  if ((op === '/' || op === '//' || op === '%') && b === 0) throw new ExpressionError('ZeroDivisionError', 'division by zero');
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '//': return Math.floor(a / b);
    case '%': return a - b * Math.floor(a / b);
    case '**': {
      const r = a ** b;
      if (!Number.isFinite(r) && Number.isFinite(a) && Number.isFinite(b)) throw new ExpressionError('OverflowError', 'numerical result out of range');
      if (Number.isNaN(r)) throw new ExpressionError('ValueError', 'math domain error');
      return r;
    }
  }
}

/** Python's round(): halves to even. */
function roundHalfEven(x: number, digits: number): number {
  const f = 10 ** digits;
  const v = x * f;
  const r = Math.round(v);
  const half = Math.abs(v % 1) === 0.5;
  return (half && r % 2 !== 0 ? r - 1 : r) / f;
}
