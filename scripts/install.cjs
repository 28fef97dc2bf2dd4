#!/usr/bin/env node
// The package's install step. It never fails the install:
//   1. a prebuilt addon (prebuilds/<platform>-<arch>/) or an earlier build/ that loads is used as is;
//   2. otherwise the addon is compiled with node-gyp from binding.gyp;
//   3. if that fails too, one warning line is printed and the package runs on WebAssembly.
// With install scripts disabled (--ignore-scripts, pnpm) step 1 happens at run time anyway
// (node-gyp-build), and without a loadable addon the backend registry falls back to WASM.
//
// Environment: LSTM_LRP_BUILD_FROM_SOURCE=1 (or npm's --build-from-source) skips step 1;
// LSTM_LRP_SKIP_BUILD=1 skips step 2; LSTM_LRP_BUILD_TIMEOUT caps the compile (seconds, default 900).
'use strict'

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const target = `${process.platform}-${process.arch}`

function flag(name) {
  const value = process.env[name]
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
}

/** Loads the addon the way the package does at run time, in a child process (a bad binary may crash). */
function addonLoads() {
  let loader
  try {
    loader = require.resolve('node-gyp-build', { paths: [root] })
  } catch {
    return { ok: false, reason: 'node-gyp-build is not installed' }
  }
  const script = `const addon = require(${JSON.stringify(loader)})(${JSON.stringify(root)}); if (typeof addon.info !== 'function') throw new Error('not the lstm-lrp addon')`
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 })
  if (result.status === 0) return { ok: true }
  const lines = `${result.stderr || ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  return { ok: false, reason: lines.find((line) => /Error/.test(line)) || lines[0] || `exit ${result.status ?? result.signal}` }
}

/** node-gyp as npm runs it (its bundled copy), else a local one, else the one on PATH. */
function nodeGypCommand() {
  const fromNpm = process.env.npm_config_node_gyp
  if (fromNpm && fs.existsSync(fromNpm)) return [process.execPath, fromNpm]
  try {
    return [process.execPath, require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] })]
  } catch {
    // no local node-gyp: look further
  }
  // npm's own copy, next to the running Node (when this script runs outside npm).
  const prefix = path.dirname(path.dirname(process.execPath))
  for (const npm of [path.join(prefix, 'lib', 'node_modules', 'npm'), path.join(path.dirname(process.execPath), 'node_modules', 'npm')]) {
    const script = path.join(npm, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
    if (fs.existsSync(script)) return [process.execPath, script]
  }
  return [process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp']
}

/** Compiles the addon; the output goes to a log file, and the first error line in it comes back. */
function compile() {
  const log = path.join(os.tmpdir(), `lstm-lrp-build-${process.pid}.log`)
  const fd = fs.openSync(log, 'w')
  const [command, ...args] = nodeGypCommand()
  const seconds = Number(process.env.LSTM_LRP_BUILD_TIMEOUT) > 0 ? Number(process.env.LSTM_LRP_BUILD_TIMEOUT) : 900
  let result
  try {
    result = spawnSync(command, [...args, 'rebuild'], {
      cwd: root,
      // Warnings stay warnings on a user's compiler, which may know warnings this code was never built with.
      env: { ...process.env, GYP_DEFINES: `${process.env.GYP_DEFINES ?? ''} lstm_lrp_werror=0`.trim() },
      stdio: ['ignore', fd, fd],
      timeout: seconds * 1000,
      shell: process.platform === 'win32' && args.length === 0,
      windowsHide: true,
    })
  } finally {
    fs.closeSync(fd)
  }
  if (result.error) return { ok: false, log, reason: result.error.code === 'ETIMEDOUT' ? `timed out after ${seconds} s` : result.error.message }
  if (result.status !== 0) {
    const lines = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .map((line) => line.trim())
    // The compiler's first error, else node-gyp's own ("Could not find any Python installation", ...).
    const compiler = lines.find((line) => !line.startsWith('gyp ') && /\berror\b/i.test(line))
    const gyp = lines.find((line) => line.startsWith('gyp ERR! stack Error: '))
    const reason = compiler ?? gyp?.slice('gyp ERR! stack Error: '.length)
    return { ok: false, log, reason: reason || `node-gyp exited with ${result.status ?? result.signal}` }
  }
  return { ok: true, log }
}

function warn(reason, log) {
  const where = log ? ` (log: ${log})` : ''
  process.stderr.write(`lstm-lrp: no native addon for ${target} (${reason})${where}; using the WebAssembly backend.\n`)
}

function main() {
  if (!flag('LSTM_LRP_BUILD_FROM_SOURCE') && process.env.npm_config_build_from_source !== 'true') {
    if (addonLoads().ok) return
  }
  if (flag('LSTM_LRP_SKIP_BUILD')) return warn('LSTM_LRP_SKIP_BUILD is set and no prebuilt addon loads')
  const build = compile()
  if (!build.ok) return warn(`compiling it failed: ${build.reason.replace(/\s+/g, ' ').slice(0, 200)}`, build.log)
  const check = addonLoads()
  if (!check.ok) return warn(`the compiled addon does not load: ${check.reason.slice(0, 200)}`, build.log)
  fs.rmSync(build.log, { force: true })
}

try {
  main()
} catch (error) {
  warn(`install step failed: ${error && error.message ? error.message : String(error)}`)
}
process.exit(0)
