import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where signed checkpoints go: a place the database does not control. One folder per facility, one file per
 * checkpoint, never overwritten. Object storage (with object lock) can implement the same three calls later.
 */
export interface AnchorStore {
  /** Where it is, for the admin page and the logs. */
  readonly location: string;
  /** The checkpoint names of a facility, oldest first. */
  list(facilityId: string): Promise<string[]>;
  read(facilityId: string, name: string): Promise<string | null>;
  /** Creates the checkpoint; false if one of that name is there already (never overwrites). */
  create(facilityId: string, name: string, text: string): Promise<boolean>;
}

const safeId = (facilityId: string) => {
  if (!/^[0-9a-f-]{36}$/.test(facilityId)) throw new Error('bad facility id');
  return facilityId;
};

export function directoryStore(dir: string): AnchorStore {
  return {
    location: dir,
    async list(facilityId) {
      try {
        return (await readdir(join(dir, safeId(facilityId)))).filter((n) => /^\d{12}\.json$/.test(n)).sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    async read(facilityId, name) {
      try {
        return await readFile(join(dir, safeId(facilityId), name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async create(facilityId, name, text) {
      const folder = join(dir, safeId(facilityId));
      await mkdir(folder, { recursive: true });
      // Written whole to a temporary name, flushed, then linked into place: a reader never sees half a file,
      // and link() refuses an existing name.
      const tmp = join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      const handle = await open(tmp, 'wx', 0o644);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(tmp, join(folder, name));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      } finally {
        await unlink(tmp);
      }
    },
  };
}
