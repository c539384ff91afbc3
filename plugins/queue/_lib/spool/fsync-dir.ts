/** Makes a new file's directory entry durable (a file fsynced in a directory that was not can vanish on power loss). */
import { open } from 'node:fs/promises';

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
