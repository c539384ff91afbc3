/**
 * tspop — Plugin Oriented Programming for TypeScript. The public API.
 */
import { loadTsyringe } from './tsyringe.ts';

export { Hub, type HubCreateOptions } from './hub.ts';
export type { HubCore, HubSubs, Dynamic, Opt, Logger, VirtualResult, LoadFailure, ContractCtx } from './types.ts';
export type { SubAddOptions } from './sub-options.ts';
export type { ConfigOption, CliOption, SubcommandDef, ProjectConf, Project, OptionType } from './conf-types.ts';
export type { ModuleLoader } from './module-loader.ts';
export type { DyneScanner, DyneDir } from './dyne-scanner.ts';
export type { ConfigLoadOptions, ConfigLoadResult, ConfigKvSource } from './pop/config.ts';
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
export const inject: typeof import('tsyringe').inject = loadTsyringe().inject;
/** Re-exported so class plugins use the very tsyringe the hub's container comes from. */
export const injectable: typeof import('tsyringe').injectable = loadTsyringe().injectable;
export { runCli, type CliSpec, type CliContext } from './cli/run-cli.ts';
export { createConsoleLogger, createMemoryLogger, parseLogLevel, isLevelledLogger, type LogLevel, type LogLevels, type LevelledLogger } from './logger.ts';
export { KVStore } from '../plugins/kv/_lib/kv-store.ts';
export type {
  KVStoreOptions, KvReloadCallback, KvConfig, KvResolvedOptions, KvConnection, KvEntries, KvWatchListener, KvBackendPlugin,
} from '../plugins/kv/_lib/types.ts';
export * from '../plugins/kv/_errors.ts';
/** pop.testing: mock hubs and contract switches for unit-testing plugins (also `tspop/testing`). */
export * as testing from './testing/index.ts';
export * from './errors.ts';
/** Each family registers its own codes; the package root exports them all. */
export * from '../acct/_errors.ts';
export * from '../plugins/evbus/_errors.ts';
export * from '../plugins/amqp/_errors.ts';
export * from '../plugins/http/_errors.ts';
export * from '../plugins/queue/_errors.ts';
/** The queue family's seed-shaped facades (clc_msa_utils, streamtools, infi.ramen_client) and its plugin types. */
export { QueueFactory, QueueConsumer, QueueProducer, type QueueConfig, type QueueConfigEntry, type ListenCallback, type ReloadSource, type ReloadResult } from '../plugins/queue/_facade/queue-factory.ts';
export { PRODUCERS, CONSUMER_LOOPS, Producer, ConsumerLoop, consumer, type StreamtoolsHandler, type StreamtoolsOptions } from '../plugins/queue/_facade/streamtools.ts';
export { HandlerFactory, ConsumerFactory, ConsumerRunner, type MessageQueueConfig, type HandleMsgs, type ConsumerRunnerOptions } from '../plugins/queue/_facade/streamtools-helpers.ts';
export {
  QueueWriter, QueueReader, createQueueReaderAndWriter, parseRamenMessage, RAMEN_DEFAULTS,
  type QueueWriterConfig, type QueueReaderConfig, type ForwardProducer, type PushOptions, type RamenMessage, type ConsumeResult,
} from '../plugins/queue/_facade/ramen.ts';
export { setQueueHub } from '../plugins/queue/_facade/default-hub.ts';
export { isQueueTransport, type QueueMessage, type MessageHandler, type SendOptions, type TransportProducer, type TransportConsumer, type TransportOptions, type QueueTransport } from '../plugins/queue/_lib/types.ts';
export * from '../plugins/dripline/_errors.ts';
