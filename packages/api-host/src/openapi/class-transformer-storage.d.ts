// class-transformer 0.5 ships the declarations of its deep modules under types/, apart
// from the code; this names the one deep import the OpenAPI schemas need.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  export const defaultMetadataStorage: MetadataStorage;
}
