/** node-gyp-build ships no types: given a package folder it loads build/Release or the matching prebuild. */
declare module 'node-gyp-build' {
  function load(dir: string): unknown
  export default load
}
