/**
 * tspop's own conf (pop's conf.py): the dynes it ships and the options of its CLIs.
 * A host project writes the same four exports in its own conf.ts; DYNE paths are relative to this file.
 */
import type { CliOption, ConfigOption, SubcommandDef } from './src/index.ts';

/** Every tspop CLI gets these. */
const ALL_CLIS = ['tspop', 'acct', 'evbus-test'];

export const CONFIG: Record<string, ConfigOption> = {
  // ── tspop (introspection) ──
  dynes: { default: [], type: 'array', help: 'Dynes to show or type (default: every dyne that any project declares)' },
  json: { default: false, type: 'boolean', help: 'Print the tree as JSON, for tools' },
  out: { default: undefined, type: 'string', help: 'The declaration file to write (default: tspop-hub.d.ts in the project root)' },
  verbose: { default: false, type: 'boolean', help: 'On errors, also print the stack trace' },
  progress: { default: false, type: 'boolean', help: 'Show the progress of long work on stderr even when it is not a terminal (at one it always shows)' },

  // ── acct ──
  acct_file: { default: undefined, type: 'string', os: 'ACCT_FILE', dyne: 'acct', help: 'Encrypted acct file with credential profiles' },
  acct_key: { default: undefined, type: 'string', os: 'ACCT_KEY', dyne: 'acct', secret: true, help: 'Fernet key that unlocks the acct file (on the command line, ps shows it: prefer ACCT_KEY or --acct-key-file)' },
  acct_key_file: { default: undefined, type: 'string', os: 'ACCT_KEY_FILE', dyne: 'acct', help: 'File whose first line is the acct key: keeps the key off the command line' },
  force: { default: false, type: 'boolean', dyne: 'acct', help: 'Replace an existing acct file even though it does not open with the given key' },
  input_file: { type: 'string', dyne: 'acct', help: 'encrypt: the plaintext YAML; decrypt/edit: the acct file (default: --acct-file)' },
  output_file: { type: 'string', dyne: 'acct', help: 'encrypt: where to write (default: <input_file>.<crypto_plugin>); edit: save here instead of over the input' },
  output: { default: 'yaml', type: 'string', choices: ['yaml', 'json'], dyne: 'acct', help: 'How decrypt prints the profiles' },
  crypto_plugin: { default: 'fernet', type: 'string', dyne: 'acct', help: 'Crypto plugin of hub.acct.crypto that reads and writes acct files' },
  allowed_backend_profiles: { default: [], type: 'array', dyne: 'acct', help: 'acct-backends profiles allowed to run (empty: all); names, backends or backend.profile' },
  editor: { default: process.platform === 'win32' ? 'notepad' : 'vi', type: 'string', os: 'EDITOR', dyne: 'acct', help: 'Editor for acct edit (may hold arguments, e.g. "code -w")' },

  // ── evbus (hub.OPT.evbus) ──
  serial_plugin: { default: 'json', type: 'string', dyne: 'evbus', help: 'Serial plugin (hub.serial.*) that put() uses for event bodies: json, msgpack, yaml' },
  match_plugin: { default: 'glob', type: 'string', dyne: 'evbus', help: 'How acct profile names match event profiles (hub.evbus.match.*): glob or regex' },
  ingress_profiles: { default: [], type: 'array', dyne: 'evbus', help: 'The acct profile names to allow; none given: every profile is used' },
  queue_size: { default: 10000, type: 'integer', min: 1, dyne: 'evbus', help: 'Most events queued on the bus; put() waits (putNowait() throws) beyond it' },
  error_callback_ref: { default: undefined, type: 'string', dyne: 'evbus', help: 'Hub ref of a function called with { error, plugin, profile, body } when a publish fails' },

  // ── evbus-test (hub.OPT['evbus-test']) ──
  evbus_output: { default: 'nested', type: 'string', choices: ['json', 'yaml', 'nested'], dyne: 'evbus-test', help: 'How to print received events: json (one object per line), yaml or nested' },
  random: { default: false, type: 'boolean', dyne: 'evbus-test', help: 'Put random events (number, timestamp, data) on the bus' },
  random_period: { default: 1000, type: 'integer', min: 0, dyne: 'evbus-test', help: 'Milliseconds between random events' },
  count: { default: 0, type: 'integer', min: 0, dyne: 'evbus-test', help: 'Stop after this many events were received (0: run until Ctrl-C)' },
  drain_timeout: { default: 10, type: 'number', min: 0, dyne: 'evbus-test', help: 'Seconds to wait for events to be delivered when stopping (Ctrl-C, --count reached); then it names what was not delivered and exits 1' },
};

export const CLI_CONFIG: Record<string, CliOption> = {
  dynes: { positional: true, nargs: '*', subcommands: ['tree', 'types'] },
  json: { action: 'store_true', subcommands: ['tree'] },
  out: { subcommands: ['types'] },
  verbose: { action: 'store_true', dyne: ALL_CLIS, subcommands: ['_global_'] },
  progress: { action: 'store_true', dyne: ['acct', 'evbus-test'], subcommands: ['_global_'] },

  // ── acct ── (acct_file/acct_key also go on evbus-test, which unlocks acct files too)
  acct_file: { dyne: ['acct', 'evbus-test'], subcommands: ['_global_'] },
  acct_key: { dyne: ['acct', 'evbus-test'], subcommands: ['_global_'] },
  acct_key_file: { dyne: ['acct', 'evbus-test'], subcommands: ['_global_'] },
  force: { action: 'store_true', dyne: 'acct', subcommands: ['encrypt', 'edit'] },
  input_file: { positional: true, nargs: '?', dyne: 'acct', subcommands: ['encrypt', 'decrypt', 'edit'] },
  output_file: { dyne: 'acct', subcommands: ['encrypt', 'edit'] },
  output: { dyne: 'acct', subcommands: ['decrypt'] },
  crypto_plugin: { dyne: 'acct', subcommands: ['encrypt', 'decrypt', 'edit'] },
  allowed_backend_profiles: { nargs: '*', dyne: 'acct', subcommands: ['decrypt'] },
  editor: { dyne: 'acct', subcommands: ['edit'] },

  // ── evbus-test ── (acct_file/acct_key: see acct above)
  evbus_output: { dyne: 'evbus-test', options: ['--output'] },
  random: { action: 'store_true', dyne: 'evbus-test' },
  random_period: { dyne: 'evbus-test' },
  count: { dyne: 'evbus-test' },
  drain_timeout: { dyne: 'evbus-test' },
  ingress_profiles: { nargs: '*', dyne: 'evbus-test' },
  serial_plugin: { dyne: 'evbus-test' },
  match_plugin: { dyne: 'evbus-test' },
};

export const SUBCOMMANDS: Record<string, SubcommandDef> = {
  tree: { help: 'Print the hub: subs, plugins, functions with their parameters and source files' },
  types: { help: "Write a declaration file that types the hub's subs from the plugin files' own exports" },
  encrypt: { dyne: 'acct', help: 'Encrypt a YAML file of profiles into FILE.fernet; prints the key when it made one' },
  decrypt: { dyne: 'acct', help: 'Print the profiles of an acct file (backends included)' },
  edit: { dyne: 'acct', help: 'Edit the decrypted contents of an acct file in $EDITOR and save it encrypted again' },
};

export const DYNE: Record<string, string[]> = {
  acct: ['acct'],
  amqp: ['plugins/amqp'],
  dripline: ['plugins/dripline'],
  evbus: ['plugins/evbus'],
  http: ['plugins/http'],
  ingress: ['plugins/ingress'],
  kv: ['plugins/kv'],
  queue: ['plugins/queue'],
  serial: ['plugins/serial'],
};
