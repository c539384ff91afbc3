/** `tspop` — introspection: `tspop tree [dyne...]` prints subs, modules, functions and their files. */
import { TSPOP_VERSION } from '../src/cli/tspop-version.ts';
import { runCli } from '../src/cli/run-cli.ts';
import { printTree } from '../src/cli/tree.ts';

export default function main(argv = process.argv.slice(2)): Promise<number> {
  return runCli({
    name: 'tspop',
    version: TSPOP_VERSION,
    config: ['tspop'],
    argv,
    async main({ hub, subcommand }) {
      if (subcommand === 'tree') return printTree(hub, hub.OPT.tspop.dynes ?? [], hub.OPT.tspop.json === true);
      process.stderr.write('tspop: missing command (try: tspop tree, tspop --help)\n');
      return 2;
    },
  });
}
