/**
 * dripline-python's Entity: an endpoint with a value that it calibrates, may read back after a set
 * (`get_on_set`), announce as an alert after a set (`log_on_set`) and broadcast on a schedule (`log_interval`,
 * filtered by `max_interval`, `max_absolute_change`, `max_fractional_change` as dripline-python does). Alerts go
 * to `<alert_routing_key>.<name>` (the seed's name; dripline-python calls it log_routing_key_prefix), default
 * `sensor_value.<name>`. A module supplies only how its raw value is read and written (a ValueCell).
 */
import { DriplineConfigError, DriplineReplyError, replyError } from '../_errors.ts';
import { pyStr } from './python-str.ts';
import { describeError } from '../../../src/describe-error.ts';
import { compileCalibration, type Calibrator } from './calibration.ts';
import { EndpointOptions, intervalSeconds } from './endpoint-options.ts';
import type { Endpoint, EndpointAttribute, EndpointCommand, EndpointConfig, EndpointContext } from './endpoint-types.ts';
import { ReturnCode } from './return-codes.ts';

export interface ValueCell {
  read(): unknown;
  /** Stores a new value; what it returns is the set's reply payload (unless get_on_set). */
  write(value: unknown): unknown;
}

export function createEntity(config: EndpointConfig, ctx: EndpointContext, opts: EndpointOptions, cell: ValueCell): Endpoint {
  const where = config.where;
  let calibrator: Calibrator = compileCalibration(opts.any('calibration'), where);
  let getOnSet = opts.bool('get_on_set', false);
  let logOnSet = opts.bool('log_on_set', false);
  let logInterval = intervalSeconds(opts.any('log_interval'), where, 'log_interval');
  let maxInterval = intervalSeconds(opts.any('max_interval'), where, 'max_interval');
  let maxAbsolute = opts.number('max_absolute_change', 0, 0);
  let maxFractional = opts.number('max_fractional_change', 0, 0);
  let checkField = opts.string('check_field', 'value_cal');
  const prefix = opts.string('log_routing_key_prefix', 'sensor_value');
  let alertPrefix = opts.string('alert_routing_key', prefix);
  const toStored = setValueMapper(opts.any('set_value_map'), opts.bool('set_value_lowercase', false), where);
  opts.checkNoneLeft();

  let timer: NodeJS.Timeout | undefined;
  let lastLogTime: number | undefined;
  let lastLogValue: number | undefined;

  const onGet = async (): Promise<unknown> => calibrator.apply(await cell.read());
  // an alert that cannot be sent does not undo the set that caused it: it is logged, the reply stays
  const logValue = async (value: unknown): Promise<void> => {
    try {
      await ctx.alert(`${alertPrefix}.${config.name}`, value);
      lastLogTime = Date.now();
    } catch (err) {
      ctx.log.warn(`dripline: alert ${alertPrefix}.${config.name} was not sent`, { error: describeError(err) });
    }
  };

  /** dripline-python's scheduled_log: always the first time and past max_interval, else only on a big enough change. */
  const scheduledLog = async (): Promise<boolean> => {
    const result = await onGet();
    const fields = (result ?? {}) as Record<string, unknown>;
    const field = checkField in fields ? fields[checkField] : fields.value_raw;
    const value = typeof field === 'number' ? field : typeof field === 'string' && field.trim() !== '' ? Number(field) : NaN;
    const elapsed = lastLogTime === undefined ? Infinity : (Date.now() - lastLogTime) / 1000;
    if (lastLogTime !== undefined && !(elapsed > maxInterval)) {
      if (Number.isNaN(value) || lastLogValue === undefined) return false;
      const fractional = lastLogValue === 0 ? value !== 0 : Math.abs((lastLogValue - value) / lastLogValue) > maxFractional;
      if (!fractional && !(Math.abs(lastLogValue - value) > maxAbsolute)) return false;
    }
    if (!Number.isNaN(value)) lastLogValue = value;
    await logValue(result);
    return true;
  };

  const startLogging = (): void => {
    stopLogging();
    if (!(logInterval > 0)) throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_value, `${config.name}: cannot start logging while log_interval is 0`);
    timer = setInterval(() => {
      scheduledLog().catch((err: unknown) => ctx.log.warn(`dripline: scheduled log of ${config.name} failed`, { error: describeError(err) }));
    }, logInterval * 1000);
    timer.unref();
  };
  const stopLogging = (): void => {
    clearInterval(timer);
    timer = undefined;
  };

  const attributes: Record<string, EndpointAttribute> = {
    name: { get: () => config.name },
    calibration: { get: () => calibrator.spec ?? null, set: (v) => void (calibrator = compileCalibration(v, `${where}: set calibration`)) },
    get_on_set: { get: () => getOnSet, set: (v) => void (getOnSet = toBool(v, 'get_on_set')) },
    log_on_set: { get: () => logOnSet, set: (v) => void (logOnSet = toBool(v, 'log_on_set')) },
    log_interval: {
      get: () => logInterval,
      set: (v) => {
        logInterval = toSeconds(v, 'log_interval');
        if (timer) (logInterval > 0 ? startLogging : stopLogging)();
      },
    },
    max_interval: { get: () => maxInterval, set: (v) => void (maxInterval = toSeconds(v, 'max_interval')) },
    max_absolute_change: { get: () => maxAbsolute, set: (v) => void (maxAbsolute = toSeconds(v, 'max_absolute_change')) },
    max_fractional_change: { get: () => maxFractional, set: (v) => void (maxFractional = toSeconds(v, 'max_fractional_change')) },
    check_field: { get: () => checkField, set: (v) => void (checkField = String(v)) },
    alert_routing_key: { get: () => alertPrefix, set: (v) => void (alertPrefix = String(v)) },
    logging_status: {
      get: () => (timer ? 'on' : 'off'),
      set: (v) => (toBool(v, 'logging_status') ? startLogging() : stopLogging()),
    },
  };
  const commands: Record<string, EndpointCommand> = {
    start_logging: () => startLogging(),
    stop_logging: () => stopLogging(),
    scheduled_log: () => scheduledLog(),
  };

  return {
    name: config.name,
    on_get: onGet,
    async on_set(value: unknown): Promise<unknown> {
      let result = await cell.write(toStored(value));
      if (getOnSet) result = await onGet();
      if (logOnSet) await logValue(result !== null && typeof result === 'object' && !Array.isArray(result) ? result : { value_raw: result ?? value });
      return result;
    },
    attributes,
    commands,
    start(): void {
      if (logInterval > 0) startLogging();
    },
    stop: stopLogging,
  };
}

/** The seed's set_value_map / set_value_lowercase: what a set stores for what it was sent (304 when unmapped). */
function setValueMapper(map: unknown, lowercase: boolean, where: string): (v: unknown) => unknown {
  if (map !== undefined && map !== null && (typeof map !== 'object' || Array.isArray(map))) {
    throw new DriplineConfigError(`${where}: set_value_map must map sent values to stored values`);
  }
  const table = (map ?? undefined) as Record<string, unknown> | undefined;
  return (v) => {
    const sent = lowercase && typeof v === 'string' ? v.toLowerCase() : v;
    if (!table) return sent;
    const key = pyStr(sent);
    if (Object.hasOwn(table, key)) return table[key];
    throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_value, `value ${JSON.stringify(v)} is not one of the set_value_map keys (${Object.keys(table).join(', ')})`);
  };
}

function toBool(v: unknown, key: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string' && /^(true|false|on|off|yes|no|1|0)$/i.test(v.trim())) return /^(true|on|yes|1)$/i.test(v.trim());
  throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_value, `${key} must be on/off or true/false, got ${JSON.stringify(v)}`);
}

function toSeconds(v: unknown, key: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_value, `${key} must be a number >= 0, got ${JSON.stringify(v)}`);
  return n;
}
