import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

export type Dovecot = { port: number; user: string; password: string; close: () => Promise<void> };

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const address = s.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    s.close(() => resolve(port));
  });
});

const accepting = (port: number) => new Promise<boolean>((resolve) => {
  const c = connect(port, '127.0.0.1');
  c.once('data', () => { c.destroy(); resolve(true); });
  c.once('error', () => resolve(false));
});

/**
 * Debian's dovecot-imapd on a random loopback port, with a config generated in a temp dir (no system
 * service, no privileged port, plain-text login on loopback only). Mail is owned by the `dovecot` user
 * when we run as root (dovecot refuses to store mail as root), else by ourselves.
 */
export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(path.join(tmpdir(), 'replyby-dovecot-'));
  const port = await freePort();
  const me = userInfo();
  const asRoot = me.uid === 0;
  const mailUser = asRoot ? 'dovecot' : me.username;
  const { uid, gid } = asRoot ? dovecotIds() : { uid: me.uid, gid: me.gid };
  const user = 'support';
  const password = 'imap-test-pass';
  // The auth and mail processes run as the mail user: they need to traverse the temp dir.
  chmodSync(dir, 0o755);
  for (const d of ['run', 'home']) mkdirSync(path.join(dir, d));
  if (asRoot) chownSync(path.join(dir, 'home'), uid, gid);
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}:${uid}:${gid}::${path.join(dir, 'home', user)}\n`);
  writeFileSync(path.join(dir, 'dovecot.conf'), `
base_dir = ${dir}/run
state_dir = ${dir}/run
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${mailUser}
default_internal_group = ${asRoot ? 'dovecot' : (me.username)}
default_login_user = ${asRoot ? 'dovenull' : me.username}
first_valid_uid = ${Math.min(uid, 1)}
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`);
  const proc: ChildProcess = spawn('/usr/sbin/dovecot', ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100 && !(await accepting(port)); i += 1) {
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await accepting(port))) {
    await stop();
    throw new Error(`dovecot did not listen on ${port}: ${output}`);
  }
  return {
    port, user, password,
    close: stop,
  };
}

/** The uid/gid of Debian's `dovecot` system user (from /etc/passwd: no fixed numbers). */
function dovecotIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('dovecot:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('no dovecot user in /etc/passwd (is dovecot-imapd installed?)');
  return { uid: Number(uid), gid: Number(gid) };
}
