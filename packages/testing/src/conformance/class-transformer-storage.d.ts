// class-transformer 0.5 ships the declarations of its deep modules under types/, apart
// from the code; this names the one deep import the conformance kit needs. A pattern,
// so it does not collide with the API host's exact declaration of the same module when
// the whole workspace is type-checked together.
declare module 'class-transformer/cjs/storage*' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  export const defaultMetadataStorage: MetadataStorage;
}
