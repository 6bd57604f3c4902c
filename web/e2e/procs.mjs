// Real processes for the end-to-end checks (dashboard.e2e.mjs, openapi.check.mjs): a child whose
// output tail is kept for failure reports, waiting for a line or a condition with a deadline
// (never a fixed sleep), and a graceful stop; plus a dev network on short epochs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// A child process whose output is kept (last 200 lines) for the failure report.
export function start(name, argv, options = {}) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const tail = [];
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > 200) tail.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, child, tail, exited };
}

// Resolves with the first stdout line matching `re`, or rejects at the deadline / on exit.
export function waitForLine(proc, re, ms) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(
      () => reject(new Error(`${proc.name}: no line matching ${re} within ${ms} ms`)),
      ms,
    );
    proc.child.stdout.on('data', (chunk) => {
      buf += chunk.toString();
      const m = buf.match(re);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    proc.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`${proc.name} exited (code ${code}, signal ${signal}) before printing ${re}`),
      );
    });
  });
}

// Polls `fn` until it returns a truthy value; throws `what` with the last value at the deadline.
export async function poll(what, fn, ms, every = 250) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${ms} ms waiting for ${what} (last: ${JSON.stringify(last)})`,
      );
    await new Promise((r) => setTimeout(r, every));
  }
}

export async function api(base, p) {
  const res = await fetch(base + p);
  if (!res.ok) throw new Error(`${p}: HTTP ${res.status}`);
  return res.json();
}

export async function stop(proc, signal = 'SIGTERM', ms = 15000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), ms);
  await proc.exited;
  clearTimeout(timer);
}

// `depin init DIR` with epochs of `epoch` (e.g. "8s"), so one closes within seconds.
export function initNetwork(depin, data, epoch) {
  const init = spawnSync(depin, ['init', data], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`depin init failed: ${init.stderr}`);
  const tomlPath = path.join(data, 'network.toml');
  const toml = fs.readFileSync(tomlPath, 'utf8');
  const shorter = toml.replace(/^length = "[^"]*"/m, `length = "${epoch}"`);
  if (shorter === toml) throw new Error('network.toml has no [epoch] length line to shorten');
  fs.writeFileSync(tomlPath, shorter);
}

// The end of a check: stops the fleet (SIGINT) then the node (SIGTERM), prints their last lines
// when the check failed, and removes the work directory unless asked to keep it.
export async function tearDown({ node, fleet, ok, work, keep, log, lines = 60 }) {
  await stop(fleet, 'SIGINT');
  await stop(node, 'SIGTERM');
  if (!ok) {
    for (const p of [node, fleet]) {
      if (p) console.log(`---- ${p.name} (last lines) ----\n` + p.tail.slice(-lines).join('\n'));
    }
  }
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
  else log('kept', work);
}
