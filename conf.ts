/**
 * tspop's own conf (pop's conf.py): the dynes it ships and the options of its CLIs.
 * A host project writes the same four exports in its own conf.ts; DYNE paths are relative to this file.
 */
import type { CliOption, ConfigOption, SubcommandDef } from './src/index.ts';

/** Every tspop CLI gets these. */
const ALL_CLIS = ['tspop', 'acct', 'evbus-test'];

export const CONFIG: Record<string, ConfigOption> = {
  // ── tspop (introspection) ──
  dynes: { default: [], type: 'array', help: 'Dynes to show (default: every dyne that any project declares)' },
  json: { default: false, type: 'boolean', help: 'Print the tree as JSON, for tools' },
  verbose: { default: false, type: 'boolean', help: 'On errors, also print the stack trace' },

  // ── acct ──
  acct_file: { default: undefined, type: 'string', os: 'ACCT_FILE', dyne: 'acct', help: 'Encrypted acct file with credential profiles' },
  acct_key: { default: undefined, type: 'string', os: 'ACCT_KEY', dyne: 'acct', secret: true, help: 'Fernet key that unlocks the acct file' },
};

export const CLI_CONFIG: Record<string, CliOption> = {
  dynes: { positional: true, nargs: '*', subcommands: ['tree'] },
  json: { action: 'store_true', subcommands: ['tree'] },
  verbose: { action: 'store_true', dyne: ALL_CLIS, subcommands: ['_global_'] },
};

export const SUBCOMMANDS: Record<string, SubcommandDef> = {
  tree: { help: 'Print the hub: subs, plugins, functions with their parameters and source files' },
};

export const DYNE: Record<string, string[]> = {
  acct: ['acct'],
};
