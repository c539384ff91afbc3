/** dragonfly's help, in the seed's words where the seed had them. */
import type { Command } from './cli-args.ts';

const COMMON = `  -h, --help            show this help message and exit
  -v, --verbose         increases terminal output verbosity (-vv: debug); errors print their stack
  -V, --version         display the version
  -b [BROKER], --broker [BROKER]
                        network path for the AMQP broker (host or host:port); if not provided use the
                        service config's, then ~/.dripline_mesh.yaml's; with no argument "localhost"
  -p PORT, --port PORT  broker port (default 5672)
  --vhost VHOST         AMQP virtual host (default /)
  --auth-file FILE      JSON/YAML file with a "dripline" (or "amqp") group: username, password
                        (default: DRIPLINE_USER / DRIPLINE_PASSWORD, else guest/guest)`;

const AGENT = `  target                the endpoint (or service, or broadcast) to send to
  values                values for the request; key=value pairs become keyword arguments
  -s SPECIFIER, --specifier SPECIFIER
                        the endpoint's attribute (get/set) or command (cmd)
  -t TIMEOUT, --timeout TIMEOUT
                        maximum time, in seconds, to wait for a reply (default 10)
  -k KEY, --lockout-key KEY
                        lockout key for locked endpoints (32 hex digits, dashes allowed)
  --json                print the whole reply as JSON
  --pretty-print        print only value_cal`;

const TEXT: Record<Command | 'main', string> = {
  main: `usage: dragonfly [-h] [-V] [-v, --verbose] {get,set,cmd,config,run,send,monitor,serve,watchdog} ...

subcommands (detailed help is available for each subcommand: dragonfly <subcommand> -h):
    get                 return the value of an endpoint or a property of an endpoint if specified
    set                 set the value of an endpoint, or a property of an endpoint if specified
    cmd                 have an endpoint execute an internal function
    config              <deprecated> query or set a property of an endpoint: get/set with -s PROPERTY
    run                 <deprecated> send cmd -s run (v3 has no OP_RUN)
    send                <deprecated> send cmd -s send (v3 has no OP_SEND)
    monitor             utility for listening in on AMQP messages
    serve               start a long-running dripline service based on a provided config file
    watchdog            utility for making sure some data is always showing up

exit status: the reply's return code / 100 (0 success, 1 broker unreachable, 3 service error,
4 unroutable or timed out, 9 unhandled); 2 for a bad command line.`,
  get: `usage: dragonfly get target [-s SPECIFIER] [-b [BROKER]] [-t TIMEOUT] [-k KEY] [--json]\n\nreturn the value of an endpoint or a property of an endpoint if specified\n\n${AGENT}\n${COMMON}`,
  set: `usage: dragonfly set target value [key=value ...] [-s SPECIFIER] [-b [BROKER]] [-t TIMEOUT] [-k KEY] [--json]\n\nset the value of an endpoint, or a property of an endpoint if specified\n\n${AGENT}\n${COMMON}`,
  cmd: `usage: dragonfly cmd target [values ...] [key=value ...] -s COMMAND [-b [BROKER]] [-t TIMEOUT] [-k KEY] [--json]\n\nhave an endpoint execute an internal function (built in: ping, lock, unlock, set_condition)\n\n${AGENT}\n${COMMON}`,
  config: `usage: dragonfly config target property [value]\n\n<deprecated> get (without value) or set (with value) the endpoint's property: the same as\n"get target -s property" and "set target value -s property"\n\n${AGENT}\n${COMMON}`,
  run: `usage: dragonfly run target [values ...]\n\n<deprecated> dripline v3 has no OP_RUN: the same as "cmd target -s run values..."\n\n${AGENT}\n${COMMON}`,
  send: `usage: dragonfly send target [values ...]\n\n<deprecated> dripline v3 has no OP_SEND: the same as "cmd target -s send values..."\n\n${AGENT}\n${COMMON}`,
  monitor: `usage: dragonfly monitor [-e EXCHANGE] [-k [KEYS ...]] [-po] [-b [BROKER]]

utility for listening in on AMQP messages (does not prevent delivery)

  -e EXCHANGE, --exchange EXCHANGE
                        amqp name of the exchange to monitor (default alerts)
  -k [KEYS ...], --keys [KEYS ...]
                        amqp binding keys to follow (default #)
  -po, --payload-only   print only the message payload
${COMMON}`,
  serve: `usage: dragonfly serve -c CONFIG [-k [KEYS ...]] [-b [BROKER]]

start a long-running dripline service based on a provided config file (runs until Ctrl-C)

  -c CONFIG, --config CONFIG
                        path (absolute or relative) to the service's YAML file
  -k [KEYS ...], --keys [KEYS ...]
                        extra amqp binding keys for the service's queue
  --requests-exchange NAME, --alerts-exchange NAME, --max-payload BYTES,
  --heartbeat-routing-key KEY, --heartbeat-interval-s SECONDS
                        mesh settings over the config's dripline_mesh (as dl-serve)
${COMMON}`,
  watchdog: `usage: dragonfly watchdog [-k [KEYS ...]] [-e EXCHANGE] [-i SECONDS] [--once]

utility for making sure some data is always showing up: reports (on stdout) each time nothing arrived on the
alert keys within the interval, and when messages resume

  -k [KEYS ...], --keys [KEYS ...]
                        alert routing keys to watch (default heartbeat.#)
  -e EXCHANGE, --exchange EXCHANGE
                        exchange (default alerts)
  -i SECONDS, --interval SECONDS
                        how long silence may last (default 60)
  --once                watch one interval: exit 0 if something arrived, 1 if not
${COMMON}`,
};

export function helpText(command: Command | undefined): string {
  return `${TEXT[command ?? 'main']}\n`;
}
