/**
 * The dripline v3 return codes (the standard's table; names as dripline-cpp 2.x and dripline-python 5 spell them,
 * so `new DriplineReplyError` users and ThrowReply users mean the same thing by `service_error_invalid_value`).
 * 0 success, 1-99 warnings, 100-999 dripline errors, 1000+ application errors.
 */
export enum ReturnCode {
  success = 0,
  warning_no_action_taken = 1,
  warning_deprecated_feature = 2,
  warning_dry_run = 3,
  warning_offline = 4,
  warning_sub_service = 5,
  amqp_error = 100,
  amqp_error_broker_connection = 101,
  amqp_error_routingkey_notfound = 102,
  resource_error = 200,
  resource_error_connection = 201,
  resource_error_no_response = 202,
  resource_error_sub_service = 203,
  service_error = 300,
  service_error_no_encoding = 301,
  service_error_decoding_fail = 302,
  service_error_bad_payload = 303,
  service_error_invalid_value = 304,
  service_error_timeout = 305,
  service_error_invalid_method = 306,
  service_error_access_denied = 307,
  service_error_invalid_key = 308,
  service_error_invalid_specifier = 310,
  client_error = 400,
  client_error_invalid_request = 401,
  client_error_handling_reply = 402,
  client_error_unable_to_send = 403,
  client_error_timeout = 404,
  unhandled_exception = 999,
}

/** The standard's description of each code. */
export const RETURN_CODE_DESCRIPTIONS: Readonly<Record<ReturnCode, string>> = {
  [ReturnCode.success]: 'Success',
  [ReturnCode.warning_no_action_taken]: 'Generic Warning; No Action Taken',
  [ReturnCode.warning_deprecated_feature]: 'Deprecated Feature Warning',
  [ReturnCode.warning_dry_run]: 'Dry Run Warning',
  [ReturnCode.warning_offline]: 'Offline Warning',
  [ReturnCode.warning_sub_service]: 'Sub-Service Warning',
  [ReturnCode.amqp_error]: 'Generic AMQP Related Error',
  [ReturnCode.amqp_error_broker_connection]: 'AMQP Connection Error',
  [ReturnCode.amqp_error_routingkey_notfound]: 'Invalid AMQP Routing Key',
  [ReturnCode.resource_error]: 'Generic Resource Error',
  [ReturnCode.resource_error_connection]: 'Resource Connection Error',
  [ReturnCode.resource_error_no_response]: 'No Response',
  [ReturnCode.resource_error_sub_service]: 'Sub-Service Error',
  [ReturnCode.service_error]: 'Generic Service Error',
  [ReturnCode.service_error_no_encoding]: 'Invalid Message Encoding',
  [ReturnCode.service_error_decoding_fail]: 'Decoding Failed',
  [ReturnCode.service_error_bad_payload]: 'Invalid Payload',
  [ReturnCode.service_error_invalid_value]: 'Invalid Value',
  [ReturnCode.service_error_timeout]: 'Timeout',
  [ReturnCode.service_error_invalid_method]: 'Invalid Command',
  [ReturnCode.service_error_access_denied]: 'Access Denied',
  [ReturnCode.service_error_invalid_key]: 'Invalid Lockout Key',
  [ReturnCode.service_error_invalid_specifier]: 'Invalid Specifier',
  [ReturnCode.client_error]: 'Generic Client Error',
  [ReturnCode.client_error_invalid_request]: 'Invalid Request',
  [ReturnCode.client_error_handling_reply]: 'Error Handling Reply',
  [ReturnCode.client_error_unable_to_send]: 'Unable to Send',
  [ReturnCode.client_error_timeout]: 'Client Timeout',
  [ReturnCode.unhandled_exception]: 'Unhandled dripline or application error',
};

/** `ReturnCode[name]` for a name (ThrowReply style) or the number itself; undefined for neither. */
export function toReturnCode(nameOrValue: string | number): number | undefined {
  if (typeof nameOrValue === 'number') return Number.isInteger(nameOrValue) && nameOrValue >= 0 ? nameOrValue : undefined;
  const v = (ReturnCode as unknown as Record<string, unknown>)[nameOrValue];
  return typeof v === 'number' ? v : undefined;
}

/** The standard name of a code, or a category name for codes the table leaves to meshes and applications. */
export function returnCodeName(code: number): string {
  const name = (ReturnCode as unknown as Record<number, string | undefined>)[code];
  if (name) return name;
  if (code >= 1000) return 'application_error';
  if (code > 0 && code < 100) return 'warning';
  return 'unassigned';
}

/** dl-agent's exit status: the return code's hundreds (0 for success and warnings). */
export function exitCodeFor(returnCode: number): number {
  return Math.min(255, Math.floor(returnCode / 100));
}
