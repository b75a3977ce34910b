// Child process for the SQLite durability test: writes keys as fast as group commit allows and prints
// "<index> <revision>" for each acknowledged write, until its parent kills it (or its stdin closes).
import { SqliteBackend } from "../sqlite/sqlite-backend.js";

const [dbPath, limitArg] = process.argv.slice(2);
if (!dbPath) throw new Error("usage: durability-writer <db-path> [max-writes]");
const maxWrites = Number(limitArg ?? 1_000_000);
const concurrency = 64;

// If the parent goes away without killing us, stop rather than linger.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

const backend = new SqliteBackend(dbPath);
let next = 0;

async function writer(): Promise<void> {
  while (next < maxWrites) {
    const index = next++;
    const kv = await backend.create(`/durable/${index}`, `value-${index}`);
    process.stdout.write(`${index} ${kv.modRevision}\n`);
  }
}

await Promise.all(Array.from({ length: concurrency }, writer));
await backend.close();
process.exit(0);
