/**
 * The config of a small HeyGen project whose remote store is a folder: one avatar alias, one voice,
 * 720p, fast polling against the emulator. Shared by the tests of what the store makes free.
 */
export function folderStoreConfig(store: string): string {
  return `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { concurrency: 4, poll: { minMs: 10, maxMs: 40, timeoutMs: 10000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
  remote: { url: 'file://${store}' },
};
`;
}
