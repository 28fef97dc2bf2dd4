// import 'lstm-lrp' from an ES module; argument: the backend expected (native or wasm).
import * as lstm from 'lstm-lrp'
import verify from './verify.cjs'

await verify(lstm, { expect: process.argv[2], kind: 'import' })
