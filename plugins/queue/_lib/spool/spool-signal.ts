/** Wakes readers in this process as soon as a writer of the same directory flushed (others poll). */
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function notifyFlushed(dir: string): void {
  bus.emit(resolve(dir));
}

/** Resolves on the next flush of `dir`, or after `ms`. */
export function waitFlushed(dir: string, ms: number): Promise<void> {
  const key = resolve(dir);
  return new Promise((done) => {
    const finish = () => {
      clearTimeout(timer);
      bus.off(key, finish);
      done();
    };
    const timer = setTimeout(finish, ms);
    bus.once(key, finish);
  });
}
