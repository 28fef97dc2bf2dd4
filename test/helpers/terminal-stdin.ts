// Runs the built CLI with stdin a pseudo-terminal and stdout, stderr pipes, under a time limit. Node cannot open a
// terminal itself, so python3's os.openpty makes one (python3 is among the CI's packages).
import { execFile } from 'node:child_process'
import { cli, type CliRun } from './run-cli.js'

const RUN_WITH_TERMINAL_STDIN = `
import json, os, subprocess, sys
leader, follower = os.openpty()
try:
    run = subprocess.run(sys.argv[2:], stdin=follower, capture_output=True, timeout=float(sys.argv[1]))
    print(json.dumps({"code": run.returncode, "stdout": run.stdout.decode(), "stderr": run.stderr.decode()}))
except subprocess.TimeoutExpired:
    print(json.dumps({"code": -1, "stdout": "", "stderr": "(killed after %s s: it waited for the terminal)" % sys.argv[1]}))
`

/** `code` is -1 when the run was killed at the time limit. */
export function runCliOnTerminal(args: string[], timeoutSeconds = 60): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', RUN_WITH_TERMINAL_STDIN, String(timeoutSeconds), process.execPath, cli, ...args], (error, stdout) => {
      if (error) reject(error)
      else resolve(JSON.parse(stdout) as CliRun)
    })
  })
}
