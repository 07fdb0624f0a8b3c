// An execution's name claim: <store>/names/<sha256(name) as hex>, a file whose content is a JSON
// object with the execution's "id" and "name" (and, since the claim is the execution's first lock
// file, the fields naming that lock's owner; stores written before that hold just the two). The
// claim is what makes an execution exist: it is written (and fsynced) inside the execution's own
// directory and then linked into names/, which is atomic — two processes starting the same name
// agree on whichever link() won. The file store and the recovery of dead writers' logs both find
// claims here.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { isErrno } from "./errno.js";

/** What a claim file holds. */
export interface NameClaim {
  id: string;
  name: string;
}

/** Where the claim of `executionName` lives in the store at `storeDir`. */
export function claimPath(storeDir: string, executionName: string): string {
  return join(storeDir, "names", createHash("sha256").update(executionName).digest("hex"));
}

/**
 * The id that claimed `executionName`; undefined when nothing did. A claim is whole before it is
 * linked into place, so unreadable content is damage (the JSON error is thrown).
 */
export async function claimedId(storeDir: string, executionName: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(claimPath(storeDir, executionName), "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  }
  const claim = JSON.parse(text) as NameClaim;
  return claim.name === executionName ? claim.id : undefined;
}
