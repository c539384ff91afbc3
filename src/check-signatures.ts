import type { ContractModule } from './contracts.ts';
import type { FunctionRecord } from './module.ts';
import { paramInfo, type ParamInfo } from './function-params.ts';
import { ContractSignatureError } from './errors.ts';

type Fn = (...args: never[]) => unknown;

/**
 * pop's signature contracts: a contract's `sig_<fn>(hub, a, b)` says what `<fn>` must accept. Checked when the
 * module is built, so a plugin that drifts from its contract fails at load, naming both files, not at first call.
 * The implementation must take the declared parameters by name and in order (after `hub`; a leading `_` does not
 * count); it may add more if they have defaults, and a `...rest` on either side accepts whatever the other has.
 */
export function checkSignatures(ref: string, contracts: readonly ContractModule[], functions: ReadonlyMap<string, FunctionRecord>): void {
  for (const contract of contracts) {
    for (const [key, sig] of Object.entries(contract.exports)) {
      if (!key.startsWith('sig_') || typeof sig !== 'function') continue;
      const fnName = key.slice(4);
      const impl = functions.get(fnName);
      if (!impl) {
        throw new ContractSignatureError(`${contract.path}: ${key} declares ${ref}.${fnName}, which the plugin does not define`);
      }
      const problem = mismatch(paramInfo(sig as Fn), paramInfo(impl.raw, impl.kind === 'function'));
      if (problem) {
        throw new ContractSignatureError(
          `${impl.path}: ${ref}.${fnName}(${list(paramInfo(impl.raw, impl.kind === 'function'))}) does not match ${key}(${list(paramInfo(sig as Fn))}) in ${contract.path}: ${problem}`,
        );
      }
    }
  }
}

function mismatch(want: readonly ParamInfo[], have: readonly ParamInfo[]): string | undefined {
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as ParamInfo;
    const h = have[i];
    if (h?.rest) return undefined; // the implementation takes anything from here on
    if (w.rest) return undefined;
    if (!h) return `parameter ${i + 1} "${w.name}" is missing`;
    if (bare(h.name) !== bare(w.name)) return `parameter ${i + 1} is "${h.name}", the contract names it "${w.name}"`;
  }
  const extra = have.slice(want.length).find((p) => !p.optional && !p.rest);
  return extra ? `extra parameter "${extra.name}" has no default` : undefined;
}

/** `_count` and `count` are one name: TypeScript code marks a parameter it does not use with a leading `_`. */
function bare(name: string): string {
  return name.replace(/^_+/, '');
}

function list(params: readonly ParamInfo[]): string {
  return params.map((p) => (p.rest ? `...${p.name}` : p.name)).join(', ');
}
