import { ownModule } from '../own-module.ts';

/** What scripts/<name>.ts exports for its bin. */
interface BinScript {
  default(): Promise<number>;
}

/** A bin's whole job: load its script (as ownModule does), run its main() and leave the exit code. */
export async function runBin(binUrl: string, stem: string, load: () => Promise<BinScript>): Promise<void> {
  const script = await ownModule(binUrl, stem, load);
  process.exitCode = await script.default();
}
