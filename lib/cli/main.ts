#!/usr/bin/env node
/** The `lstm-lrp` command: one subcommand per file, exit 0 success, 1 bad input or usage, 2 internal error. */
import { Command, CommanderError } from 'commander'
import { explainCommand } from './explain.js'
import { trainCommand } from './train.js'
import { evaluateCommand } from './evaluate.js'
import { predictCommand } from './predict.js'
import { benchCommand } from './bench.js'
import { infoCommand } from './info.js'
import { LstmLrpError } from '../errors.js'
import { UsageError } from './usage.js'
import { installExitPaths, INTERNAL_ERROR } from './exit-paths.js'
import { packageVersion } from './version.js'

installExitPaths()

const program = new Command('lstm-lrp')
  .description('Explain LSTM and GRU predictions with Layer-wise Relevance Propagation')
  .version(packageVersion(), '-V, --version', 'print the version')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
program.addCommand(explainCommand())
program.addCommand(predictCommand())
program.addCommand((await import('./convert.js')).convertCommand())
program.addCommand(trainCommand())
program.addCommand(evaluateCommand())
program.addCommand((await import('./compare.js')).compareCommand())
program.addCommand((await import('./evaluate-methods.js')).evaluateMethodsCommand())
program.addCommand((await import('./reproduce.js')).reproduceCommand())
program.addCommand(benchCommand())
program.addCommand(infoCommand())
program.addCommand((await import('./serve.js')).serveCommand())

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 1)
  const known = error instanceof LstmLrpError || error instanceof UsageError
  process.stderr.write(`lstm-lrp: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`)
  process.exit(known ? 1 : INTERNAL_ERROR)
}
