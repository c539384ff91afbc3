/**
 * `tspop` — introspection: `tspop tree [dyne...]` prints subs, modules, functions and their files;
 * `tspop types [dyne...] [--out FILE]` writes the declaration file that types them.
 */
import { TSPOP_VERSION } from '../src/cli/tspop-version.ts';
import { runCli } from '../src/cli/run-cli.ts';

export default function main(argv = process.argv.slice(2)): Promise<number> {
  return runCli({
    name: 'tspop',
    version: TSPOP_VERSION,
    config: ['tspop'],
    argv,
    async main({ hub, subcommand }) {
      // each subcommand's code loads when it runs, so --help and usage errors start fast
      if (subcommand === 'tree') {
        const { printTree } = await import('../src/cli/tree.ts');
        return printTree(hub, hub.OPT.tspop.dynes ?? [], hub.OPT.tspop.json === true);
      }
      if (subcommand === 'types') {
        const { writeTypes } = await import('../src/cli/write-types.ts');
        return writeTypes(hub, hub.OPT.tspop.dynes ?? [], hub.OPT.tspop.out);
      }
      process.stderr.write('tspop: missing command (try: tspop tree, tspop types, tspop --help)\n');
      return 2;
    },
  });
}
