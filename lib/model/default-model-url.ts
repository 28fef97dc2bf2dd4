/** The model the package ships, for browsers and bundlers: the five-class SST sentiment LSTM with its tokenizer. */

/**
 * Its URL next to this package's files: bundlers (Vite, webpack 5, Parcel) see this pattern and ship
 * the file with the bundle; served unbundled, it is the package's own models/ folder.
 */
export function defaultModelUrl(): URL {
  return new URL('../../models/sst-bilstm.safetensors', import.meta.url)
}
