/**
 * tspop — Plugin Oriented Programming for TypeScript. The public API.
 */
export { Hub, type HubCreateOptions } from './hub.ts';
export type { HubCore, HubSubs, Dynamic, Opt, Logger, VirtualResult, LoadFailure, ContractCtx } from './types.ts';
export type { SubAddOptions } from './sub-options.ts';
export type { ConfigOption, CliOption, SubcommandDef, ProjectConf, Project, OptionType } from './conf-types.ts';
export type { ModuleLoader } from './module-loader.ts';
export type { DyneScanner, DyneDir } from './dyne-scanner.ts';
export type { ConfigLoadOptions, ConfigLoadResult } from './pop/config.ts';
export type {
  IngressEvent, IngressCtx, IngressPlugin, EvbusContexts, EvbusStartOptions, EvbusPublishError, PutOptions, SerialPlugin,
} from '../plugins/evbus/_lib/types.ts';
export type {
  AmqpConnectOptions, AmqpConnection, AmqpConnectionEvent, AmqpConnectionStats, AmqpTls, AmqpTopology, AmqpExchangeSpec,
  AmqpQueueSpec, AmqpBindingSpec, AmqpDeclared, AmqpPublisherOptions, AmqpPublishOptions, AmqpPublisher,
  AmqpPublisherStats, AmqpReturnInfo, AmqpConsumeOptions, AmqpDelivery, AmqpHandler, AmqpConsumer, AmqpConsumerStats,
} from '../plugins/amqp/_lib/types.ts';
export type { HttpRequestOptions, HttpResponse } from '../plugins/http/_lib/types.ts';
export type {
  Endpoint, EndpointConfig, EndpointContext, EndpointAttribute, EndpointCommand, EndpointModule,
} from '../plugins/dripline/_lib/endpoint-types.ts';
export type { DriplineRequest, DriplineReply, DriplineAlert, DriplineMessage, SenderInfo } from '../plugins/dripline/_lib/message.ts';
export type { ValueStore } from '../plugins/dripline/_lib/value-store.ts';
export { ReturnCode } from '../plugins/dripline/_lib/return-codes.ts';
export { Sub, isSub } from './sub.ts';
export { Module, isModule } from './module.ts';
export { HUB, LOGGER, MODULE_LOADER, DYNE_SCANNER } from './tokens.ts';
/** Re-exported so class plugins use the very tsyringe the hub's container comes from. */
export { inject, injectable } from 'tsyringe';
export { runCli, type CliSpec, type CliContext } from './cli/run-cli.ts';
export { createConsoleLogger, createMemoryLogger } from './logger.ts';
export * from './errors.ts';
/** Each family registers its own codes; the package root exports them all. */
export * from '../acct/_errors.ts';
export * from '../plugins/evbus/_errors.ts';
export * from '../plugins/amqp/_errors.ts';
export * from '../plugins/http/_errors.ts';
export * from '../plugins/dripline/_errors.ts';
