// Upload a disk image: name, format, visibility and properties (one key=value a line),
// then a progress bar while the bytes go up.
import { useState, type FormEvent, type ReactElement } from 'react';
import { useApi } from './api-context';
import { messageOf } from './errors';
import { formatBytes } from './format';
import { textField } from './forms';
import { Notice } from './Notice';
import { createImage, uploadImageData } from './upload';

interface Progress {
  sent: number;
  total: number;
}

/** `key=value` lines; blank lines are skipped, a line without `=` is an error. */
export function parseProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const line of text.split('\n').map((entry) => entry.trim()).filter(Boolean)) {
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`"${line}" is not key=value`);
    properties[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  }
  return properties;
}

export function ImageUploadForm({ onUploaded }: { onUploaded: () => void }): ReactElement {
  const api = useApi();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const file = form.get('file');
    setError(undefined);
    setDone(undefined);
    if (!(file instanceof File) || file.size === 0) return setError('Choose a non-empty image file.');
    try {
      const properties = parseProperties(textField(form, 'properties'));
      const name = textField(form, 'name') || file.name;
      setProgress({ sent: 0, total: file.size });
      const image = await createImage(api, { name, diskFormat: textField(form, 'diskFormat'), visibility: textField(form, 'visibility'), properties });
      await uploadImageData(api, image.id, file, (sent, total) => setProgress({ sent, total }));
      setDone(`Uploaded ${name} (${formatBytes(file.size)}).`);
      formElement.reset();
      onUploaded();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setProgress(null);
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.sent / progress.total) * 100) : 0;
  return (
    <form className="card form-grid" onSubmit={(event) => void submit(event)} aria-labelledby="upload-title">
      <h2 id="upload-title">Upload an image</h2>
      <label>
        File
        <input type="file" name="file" required />
      </label>
      <label>
        Name
        <input name="name" placeholder="defaults to the file name" />
      </label>
      <label>
        Disk format
        <select name="diskFormat" defaultValue="raw">
          {['raw', 'qcow2', 'iso', 'vmdk', 'vhd', 'vhdx', 'vdi'].map((format) => (
            <option key={format}>{format}</option>
          ))}
        </select>
      </label>
      <label>
        Visibility
        <select name="visibility" defaultValue="shared">
          {['private', 'shared', 'community', 'public'].map((visibility) => (
            <option key={visibility}>{visibility}</option>
          ))}
        </select>
      </label>
      <label className="wide">
        Properties (one key=value a line)
        <textarea name="properties" rows={2} placeholder="strata_boot_marker=STRATA-GUEST-DONE" />
      </label>
      {progress && (
        <div className="wide" aria-live="polite">
          <label htmlFor="upload-progress">
            Uploading: {formatBytes(progress.sent)} of {formatBytes(progress.total)} ({percent}%)
          </label>
          <progress id="upload-progress" max={progress.total} value={progress.sent} data-percent={percent} />
        </div>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {done && <Notice kind="info">{done}</Notice>}
      <button type="submit" disabled={progress !== null}>
        Upload
      </button>
    </form>
  );
}
