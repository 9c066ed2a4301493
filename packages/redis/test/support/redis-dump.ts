// Reads every key and value of some Redis nodes, to look for plaintext secrets in them.
import { createClient } from 'redis';

/** `key`, then its value (a hash as JSON), for every key of every node at `urls`, one a line. */
export async function dumpEveryKey(urls: readonly string[]): Promise<string> {
  const dump: string[] = [];
  for (const url of urls) {
    const node = createClient({ url });
    node.on('error', () => undefined);
    await node.connect();
    try {
      for await (const keys of node.scanIterator()) {
        for (const key of keys) {
          const type = await node.type(key);
          dump.push(key, type === 'hash' ? JSON.stringify(await node.hGetAll(key)) : String(await node.get(key)));
        }
      }
    } finally {
      node.destroy();
    }
  }
  return dump.join('\n');
}
