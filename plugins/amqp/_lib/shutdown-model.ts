import type { ChannelModel } from 'amqplib';

/**
 * Closes an amqplib connection without trusting it to answer: its close() waits for the broker's close-ok and
 * never settles when the socket died under it, so give it `graceMs`, then destroy the socket.
 */
export async function shutdownModel(model: ChannelModel, graceMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    model.close().catch(() => undefined),
    new Promise<void>((r) => model.once('close', () => r())),
    new Promise<void>((r) => (timer = setTimeout(r, graceMs))),
  ]);
  clearTimeout(timer);
  (model as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream?.destroy?.();
}
