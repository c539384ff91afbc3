import { ownModule } from '../own-module.ts';

/** What scripts/<name>.ts exports for its bin. */
interface BinScript {
  default(argv?: string[], programName?: string): Promise<number>;
}

/**
 * A bin's whole job: load its script (as ownModule does), run its main() and leave the exit code. An alias bin
 * passes the name it is run by, which usage lines and messages then show.
 */
export async function runBin(binUrl: string, stem: string, load: () => Promise<BinScript>, programName?: string): Promise<void> {
  const script = await ownModule(binUrl, stem, load);
  process.exitCode = await script.default(process.argv.slice(2), programName);
}
