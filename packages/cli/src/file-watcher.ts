import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A set of watched files; `close` stops watching (and cancels a pending notification). */
export interface FileWatch {
  close(): void;
}

/**
 * Calls `onChange` once a burst of changes to any of `files` has settled for `settleMs` (an
 * editor's save is often several writes, or a write to a temporary file and a rename).
 *
 * Watches the files' directories rather than the files: an editor that saves by replacing the
 * file gives it a new inode, which a watch on the old one would no longer see. Events for other
 * entries of those directories are ignored.
 */
export function watchFiles(files: readonly string[], onChange: (changed: string) => void, settleMs = 100): FileWatch {
  const byDirectory = new Map<string, Set<string>>();
  for (const file of files) {
    const names = byDirectory.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byDirectory.set(dirname(file), names);
  }
  let timer: NodeJS.Timeout | undefined;
  let lastChanged = "";
  const watchers: FSWatcher[] = [];
  for (const [directory, names] of byDirectory) {
    try {
      const watcher = watch(directory, { persistent: true }, (_event, name) => {
        // Without a name (some platforms, some events) the change may be ours: count it.
        if (name !== null && !names.has(name.toString())) return;
        lastChanged = name === null ? directory : join(directory, name.toString());
        clearTimeout(timer);
        timer = setTimeout(() => onChange(lastChanged), settleMs);
      });
      // A directory removed while watched: nothing more will come from it, and that is all.
      watcher.on("error", () => watcher.close());
      watchers.push(watcher);
    } catch {
      // The directory is gone; the next successful build re-arms the watch with what exists.
    }
  }
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
