// Attachment screening (review item 11): what a helpdesk may store and offer for download. Pure: bytes in,
// a decision out. Executables are recognised by their content first (a renamed .exe is still an .exe), then
// by name and declared type (a script has no reliable magic), and inside zip/tar archives by entry name.

export type AttachmentLimits = {
  /** One file, in bytes. */
  maxFileBytes: number;
  /** All files of one message together, in bytes. */
  maxTotalBytes: number;
  /** Files in one message. */
  maxCount: number;
};

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxFileBytes: 10 * 1024 * 1024, maxTotalBytes: 25 * 1024 * 1024, maxCount: 10 };

/** What was recognised as executable and how. */
export type ExecutableKind =
  | 'windows_executable' | 'elf_executable' | 'mach_o_executable' | 'java_class' | 'script'
  | 'windows_installer' | 'cabinet' | 'windows_shortcut' | 'blocked_extension' | 'executable_type' | 'archive_with_executable';

export type ExecutableFinding = { kind: ExecutableKind; /** e.g. the archive entry or the extension that decided it. */ detail: string };

export type RefusalReason = 'executable' | 'archive_with_executable' | 'too_large' | 'total_too_large' | 'too_many' | 'empty';

export type ScreenedFile =
  | { index: number; filename: string; ok: true; size: number }
  | { index: number; filename: string; ok: false; size: number; reason: RefusalReason; /** English, without the field path: `executable files are not accepted`. */ message: string };

export type AttachmentCandidate = { filename: string; contentType?: string | null; content: Uint8Array };

/**
 * File extensions refused whatever the content: Gmail's list of blocked types (programs, installers,
 * scripts the Windows shell runs on a double click, shortcuts, disk images that mount as drives).
 */
export const BLOCKED_EXTENSIONS: ReadonlySet<string> = new Set([
  'ade', 'adp', 'apk', 'appx', 'appxbundle', 'bat', 'cab', 'chm', 'cmd', 'com', 'cpl', 'diagcab', 'diagcfg', 'diagpack', 'dll', 'dmg',
  'ex', 'ex_', 'exe', 'hta', 'img', 'ins', 'iso', 'isp', 'jar', 'jnlp', 'js', 'jse', 'lib', 'lnk', 'mde', 'mjs', 'msc', 'msi', 'msix',
  'msixbundle', 'msp', 'mst', 'nsh', 'pif', 'ps1', 'psm1', 'reg', 'scr', 'sct', 'shb', 'sys', 'vb', 'vbe', 'vbs', 'vhd', 'vhdx', 'vxd',
  'wsc', 'wsf', 'wsh', 'xll', 'sh', 'bash', 'command', 'app', 'elf', 'run', 'deb', 'rpm', 'pkg', 'ipa', 'class',
]);

/** Declared MIME types that are programs whatever the file holds. */
const EXECUTABLE_TYPES: ReadonlySet<string> = new Set([
  'application/x-msdownload', 'application/x-msdos-program', 'application/x-dosexec', 'application/x-executable', 'application/x-elf',
  'application/vnd.microsoft.portable-executable', 'application/x-ms-installer', 'application/x-msi', 'application/x-ms-shortcut',
  'application/x-sh', 'application/x-shellscript', 'application/x-bat', 'application/java-archive', 'application/x-java-archive',
  'application/x-mach-binary', 'application/vnd.android.package-archive', 'application/hta', 'application/x-ms-application',
]);

const MESSAGES: Record<RefusalReason, string> = {
  executable: 'executable files are not accepted',
  archive_with_executable: 'archives containing executable files are not accepted',
  too_large: 'is larger than the limit for one file',
  total_too_large: 'the files together are larger than the limit for one message',
  too_many: 'too many files in one message',
  empty: 'is empty',
};

/** What a finding means, for the staff note on a mail whose file was held back ("a Windows program (MZ header)"). */
export function describeFinding(f: ExecutableFinding): string {
  switch (f.kind) {
    case 'windows_executable': return 'a Windows program (MZ header)';
    case 'elf_executable': return 'a Linux/Unix program (ELF header)';
    case 'mach_o_executable': return 'a macOS program (Mach-O header)';
    case 'java_class': return 'a Java class or macOS universal program (CAFEBABE header)';
    case 'script': return 'a script (starts with #!)';
    case 'windows_installer': return 'a Windows Installer package';
    case 'cabinet': return 'a Windows cabinet archive (MSCF)';
    case 'windows_shortcut': return 'a Windows shortcut (.lnk)';
    case 'blocked_extension': return `a blocked file type (${f.detail})`;
    case 'executable_type': return `declared as ${f.detail}`;
    case 'archive_with_executable': return `contains ${f.detail}`;
  }
}

/** The English message for a refusal (API errors and staff notes); the web UI translates by reason. */
export const refusalMessage = (reason: RefusalReason): string => MESSAGES[reason];

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const u16 = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
const ascii = (b: Uint8Array, from: number, to: number): string => {
  let s = '';
  for (let i = from; i < Math.min(to, b.length); i += 1) s += String.fromCharCode(b[i] ?? 0);
  return s;
};
const latin = (b: Uint8Array, from: number, len: number): string => {
  // Entry names are UTF-8 or CP437; only the extension (ASCII) matters here.
  return ascii(b, from, from + len);
};

/**
 * The name as it will be stored and offered: no directories, no control or bidirectional-override
 * characters (U+202E turns "invoice\u202Egpj.exe" into "invoiceexe.jpg" on screen), at most 255 characters.
 */
export function safeFilename(name: string | null | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/[:*?"<>|]/g, '_').trim();
  return (cleaned || 'attachment').slice(0, 255);
}

/** The extension Windows would act on: lower case, after trailing dots and spaces are dropped ("a.exe. " runs as .exe). */
export function extensionOf(name: string): string {
  const trimmed = name.replace(/[.\s]+$/, '');
  const dot = trimmed.lastIndexOf('.');
  return dot < 0 ? '' : trimmed.slice(dot + 1).toLowerCase();
}

const isBlockedName = (name: string): boolean => BLOCKED_EXTENSIONS.has(extensionOf(name));

/** An OLE compound file (also .doc/.xls/.ppt) whose root storage is a Windows Installer package, patch or transform. */
function isWindowsInstaller(b: Uint8Array): boolean {
  if (!startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return false;
  const sectorShift = u16(b, 0x1e);
  if (sectorShift < 7 || sectorShift > 16) return false;
  const sectorSize = 1 << sectorShift;
  const firstDirSector = u32(b, 0x30);
  const root = (firstDirSector + 1) * sectorSize;
  // The root entry's CLSID {000C108x-0000-0000-C000-000000000046}: 84 = .msi, 86 = .msp, 82 = .mst.
  const clsid = root + 0x50;
  return [0x82, 0x84, 0x86].includes(b[clsid] ?? -1) && startsWith(b, [0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0, 0, 0, 0, 0, 0, 0x46], clsid + 1);
}

/** Entry names of a zip (central directory; local headers when it is cut off). Names only: nothing is inflated. */
export function zipEntryNames(b: Uint8Array, max = 10_000): string[] | null {
  if (!startsWith(b, [0x50, 0x4b, 0x03, 0x04]) && !startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return null;
  const names: string[] = [];
  // End of central directory: within the last 22 + 65,535 bytes (the comment).
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i -= 1) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) { eocd = i; break; }
  }
  if (eocd >= 0) {
    const count = u16(b, eocd + 10);
    let at = u32(b, eocd + 16);
    for (let n = 0; n < count && n < max && startsWith(b, [0x50, 0x4b, 0x01, 0x02], at); n += 1) {
      const nameLen = u16(b, at + 28);
      names.push(latin(b, at + 46, nameLen));
      at += 46 + nameLen + u16(b, at + 30) + u16(b, at + 32);
    }
    if (names.length > 0 || count === 0) return names;
  }
  // No usable central directory (truncated, or a zip64 one): walk the local headers that have known sizes.
  let at = 0;
  while (names.length < max && startsWith(b, [0x50, 0x4b, 0x03, 0x04], at)) {
    const nameLen = u16(b, at + 26);
    names.push(latin(b, at + 30, nameLen));
    const compressed = u32(b, at + 18);
    const flags = u16(b, at + 6);
    if (flags & 0x08 && compressed === 0) break; // sizes follow the data: cannot skip without inflating
    at += 30 + nameLen + u16(b, at + 28) + compressed;
  }
  return names;
}

/** Entry names of an uncompressed tar (ustar), names only. */
export function tarEntryNames(b: Uint8Array, max = 10_000): string[] | null {
  if (ascii(b, 257, 262) !== 'ustar') return null;
  const names: string[] = [];
  let at = 0;
  while (names.length < max && at + 512 <= b.length && b[at] !== 0) {
    const prefix = ascii(b, at + 345, at + 500).replace(/\0.*$/s, '');
    const name = ascii(b, at, at + 100).replace(/\0.*$/s, '');
    names.push(prefix ? `${prefix}/${name}` : name);
    const size = parseInt(ascii(b, at + 124, at + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) break;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

/** By content: the program formats' signatures, whatever the name. */
function executableByContent(b: Uint8Array): ExecutableFinding | null {
  if (startsWith(b, [0x4d, 0x5a])) return { kind: 'windows_executable', detail: 'MZ' };
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return { kind: 'elf_executable', detail: 'ELF' };
  for (const sig of [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe]]) {
    if (startsWith(b, sig)) return { kind: 'mach_o_executable', detail: 'Mach-O' };
  }
  // 0xCAFEBABE is both a universal Mach-O binary and a Java class file: a program either way.
  if (startsWith(b, [0xca, 0xfe, 0xba, 0xbe])) return { kind: 'java_class', detail: 'CAFEBABE' };
  if (startsWith(b, [0x23, 0x21])) return { kind: 'script', detail: '#!' };
  // A UTF-8 byte-order mark before the shebang still runs on most systems.
  if (startsWith(b, [0xef, 0xbb, 0xbf, 0x23, 0x21])) return { kind: 'script', detail: '#!' };
  if (startsWith(b, [0x4d, 0x53, 0x43, 0x46])) return { kind: 'cabinet', detail: 'MSCF' };
  if (startsWith(b, [0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46])) {
    return { kind: 'windows_shortcut', detail: 'LNK' };
  }
  if (isWindowsInstaller(b)) return { kind: 'windows_installer', detail: 'MSI' };
  return null;
}

/** Archive entries that are programs: a blocked extension, or a Java/Android package's code. */
function executableEntry(names: readonly string[]): string | null {
  const hasManifest = names.some((n) => n.toUpperCase() === 'META-INF/MANIFEST.MF');
  for (const n of names) {
    if (n.endsWith('/')) continue;
    if (isBlockedName(n)) {
      // .class files make a jar only with a manifest; alone they are source-like build output.
      if (extensionOf(n) === 'class' && !hasManifest) continue;
      return n;
    }
    if (n === 'classes.dex' || n === 'AndroidManifest.xml') return n;
  }
  return null;
}

/** Is this file a program (or an archive carrying one)? Content first, then name, then declared type. */
export function detectExecutable(file: AttachmentCandidate): ExecutableFinding | null {
  const byContent = executableByContent(file.content);
  if (byContent) return byContent;
  const name = safeFilename(file.filename);
  if (isBlockedName(name)) return { kind: 'blocked_extension', detail: `.${extensionOf(name)}` };
  const declared = (file.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (EXECUTABLE_TYPES.has(declared)) return { kind: 'executable_type', detail: declared };
  const entries = zipEntryNames(file.content) ?? tarEntryNames(file.content);
  const inside = entries ? executableEntry(entries) : null;
  if (inside) return { kind: 'archive_with_executable', detail: inside };
  return null;
}

/**
 * Screens the files of one message, in order: each is refused if it is a program, empty, or over the
 * per-file limit; a file that would take the message over the total or the count is refused too (the
 * earlier ones are kept). Every file gets a decision, so a form can name each refused one.
 */
export function screenAttachments(files: readonly AttachmentCandidate[], limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS): ScreenedFile[] {
  let total = 0;
  let kept = 0;
  return files.map((file, index) => {
    const filename = safeFilename(file.filename);
    const size = file.content.length;
    const refuse = (reason: RefusalReason): ScreenedFile => ({ index, filename, ok: false, size, reason, message: MESSAGES[reason] });
    const found = detectExecutable(file);
    if (found) return refuse(found.kind === 'archive_with_executable' ? 'archive_with_executable' : 'executable');
    if (size === 0) return refuse('empty');
    if (size > limits.maxFileBytes) return refuse('too_large');
    if (kept + 1 > limits.maxCount) return refuse('too_many');
    if (total + size > limits.maxTotalBytes) return refuse('total_too_large');
    kept += 1;
    total += size;
    return { index, filename, ok: true, size };
  });
}
