import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type AttachmentLimits } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';

/** One file as the API takes it (JSON, base64: the server screens it and names a refused one by index). */
export type UploadFile = { filename: string; content_type?: string; content_base64: string };

type Chosen = { key: string; file: File; error?: string };

// The server's English reasons (core/attachments/screen-attachment.ts), shown in the reader's language.
const REASONS: readonly [RegExp, string][] = [
  [/^executable files are not accepted/, 'executable'],
  [/^archives containing executable files are not accepted/, 'archive'],
  [/^is larger than the limit for one file/, 'tooLarge'],
  [/^the files together are larger than the limit/, 'totalTooLarge'],
  [/^too many files/, 'tooMany'],
  [/^is empty/, 'empty'],
];

/** The defaults, until the server's limits have loaded. */
const DEFAULT_LIMITS: AttachmentLimits = { max_file_bytes: 10 * 1024 * 1024, max_total_bytes: 25 * 1024 * 1024, max_count: 10 };

/** Thrown by toUpload when a file is over a limit: said beside the file before anything is read or sent. */
class FilesOverLimit extends Error {}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

export type Attachments = {
  files: readonly Chosen[];
  limits: AttachmentLimits;
  add: (list: FileList | null) => void;
  remove: (key: string) => void;
  clear: () => void;
  /** The chosen files in the API's shape (read now, when the form is sent). */
  toUpload: () => Promise<UploadFile[]>;
  /** Puts the server's `attachments[i]` errors beside their files; true when there was one. */
  showServerErrors: (err: unknown) => boolean;
};

/** The files chosen for one message, with each file's error from the server. */
export function useAttachments(): Attachments {
  const { t } = useTranslation('attach');
  const [files, setFiles] = useState<Chosen[]>([]);
  const limits = useLoad(['attachment-limits'], api.attachmentLimits).data ?? DEFAULT_LIMITS;
  const seq = useRef(0);
  const add = useCallback((list: FileList | null) => {
    if (!list?.length) return;
    const added = [...list].map((file) => ({ key: `f${(seq.current += 1)}`, file }));
    setFiles((f) => [...f.map(({ key, file }) => ({ key, file })), ...added]);
  }, []);
  const remove = useCallback((key: string) => setFiles((f) => f.filter((x) => x.key !== key).map(({ key: k, file }) => ({ key: k, file }))), []);
  const clear = useCallback(() => setFiles([]), []);
  const toUpload = useCallback(async () => {
    // The sizes and count are checked here, so a file over a limit is not read and sent only to be refused.
    let total = 0;
    const errors = files.map(({ file }, i) => {
      const name = file.name;
      if (file.size > limits.max_file_bytes) return t('errors.tooLarge', { n: i + 1, name });
      if (i >= limits.max_count) return t('errors.tooMany', { n: i + 1, name });
      total += file.size;
      if (total > limits.max_total_bytes) return t('errors.totalTooLarge', { n: i + 1, name });
      return undefined;
    });
    if (errors.some(Boolean)) {
      setFiles((f) => f.map((x, i) => ({ key: x.key, file: x.file, ...(errors[i] ? { error: errors[i] } : {}) })));
      throw new FilesOverLimit('a file is over a limit');
    }
    return Promise.all(files.map(async ({ file }) => ({ filename: file.name, ...(file.type ? { content_type: file.type } : {}), content_base64: await toBase64(file) })));
  }, [files, limits, t]);
  const showServerErrors = useCallback((err: unknown): boolean => {
    if (err instanceof FilesOverLimit) return true;
    if (!(err instanceof ApiError)) return false;
    const byIndex = new Map<number, string>();
    for (const e of err.errors) {
      const m = /^attachments\[(\d+)\]/.exec(e.path);
      if (!m?.[1]) continue;
      const index = Number(m[1]);
      const reason = REASONS.find(([re]) => re.test(e.message))?.[1];
      const name = files[index]?.file.name ?? '';
      byIndex.set(index, reason ? t(`errors.${reason}`, { n: index + 1, name }) : t('errors.other', { n: index + 1, name, message: e.message }));
    }
    // A body over the server's limit (all files together): said on the files, not as a raw "body" error.
    if (byIndex.size === 0 && err.status === 413 && files.length) byIndex.set(files.length - 1, t('errors.totalTooLarge', { n: files.length, name: files[files.length - 1]?.file.name ?? '' }));
    if (byIndex.size === 0) return false;
    setFiles((f) => f.map((x, i) => ({ key: x.key, file: x.file, ...(byIndex.has(i) ? { error: byIndex.get(i) } : {}) })));
    return true;
  }, [files, t]);
  return { files, limits, add, remove, clear, toUpload, showServerErrors };
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

/** "Attach files": a labelled file input, the chosen files with a remove button each, and each file's error. */
export function AttachFiles({ state, testId = 'attach-files' }: { state: Attachments; testId?: string }) {
  const { t } = useTranslation('attach');
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const hasError = useMemo(() => state.files.some((f) => f.error), [state.files]);
  return (
    <div className={hasError ? 'field attach-files has-error' : 'field attach-files'} data-testid={testId}>
      <label htmlFor={id}>{t('label')}</label>
      <input ref={input} id={id} type="file" multiple aria-describedby={`${id}-hint`} data-testid={`${testId}-input`}
        onChange={(e) => {
          state.add(e.target.files);
          // The same file can be chosen again after it was removed.
          e.target.value = '';
        }} />
      <small className="muted" id={`${id}-hint`}>
        {t('hint', { max: state.limits.max_count, file: size(state.limits.max_file_bytes), total: size(state.limits.max_total_bytes) })}
      </small>
      {state.files.length ? (
        <ul className="attach-list" aria-label={t('chosen')}>
          {state.files.map((f) => (
            <li key={f.key} data-testid={`${testId}-file`}>
              <span>{f.file.name}</span> <span className="muted small">{size(f.file.size)}</span>{' '}
              <button type="button" className="link-button" onClick={() => state.remove(f.key)} aria-label={t('remove', { name: f.file.name })}>
                {t('removeShort')}
              </button>
              {f.error ? <small className="field-error" role="alert" data-testid={`${testId}-error`}>{f.error}</small> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
