// js-md4 ships no types; only the streaming API is used (the one-shot `md4(buf)` form treats
// Buffers inconsistently across versions).
declare module 'js-md4' {
  interface Md4Hasher {
    update(data: Uint8Array | ArrayBuffer | string): Md4Hasher;
    arrayBuffer(): ArrayBuffer;
    hex(): string;
  }
  interface Md4 {
    create(): Md4Hasher;
  }
  const md4: Md4;
  export default md4;
}
