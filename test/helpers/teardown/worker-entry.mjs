// Worker threads do not inherit the parent's `--import tsx` hooks on Node 20: register them here.
import { register } from 'tsx/esm/api'

register()
await import('./busy-worker.ts')
