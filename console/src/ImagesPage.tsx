// Every image the caller can see, with status, size, visibility, checksum and its extra
// properties; the upload form sits on top.
import type { ReactElement } from 'react';
import { useApi } from './api-context';
import { DataTable } from './DataTable';
import { formatBytes } from './format';
import { ImageUploadForm } from './ImageUploadForm';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { IMAGE_BASE_ATTRIBUTES, listImages, type Image } from './resources';
import { StatusBadge } from './StatusBadge';

function propertiesOf(image: Image): Array<[string, string]> {
  return Object.entries(image)
    .filter(([key]) => !IMAGE_BASE_ATTRIBUTES.has(key))
    .map(([key, value]) => [key, String(value)]);
}

export function ImagesPage(): ReactElement {
  const api = useApi();
  const images = usePolling(() => listImages(api));

  return (
    <section aria-labelledby="images-title">
      <h1 id="images-title">Images</h1>
      <ImageUploadForm onUploaded={images.refresh} />
      {images.error && <Notice kind="error">{images.error}</Notice>}
      {images.data?.length === 0 && <Notice kind="info">No images yet.</Notice>}
      {images.data && images.data.length > 0 && (
        <DataTable caption="Images" columns={['Name', 'Status', 'Size', 'Format', 'Visibility', 'Checksum (MD5)', 'Properties']}>
          {images.data.map((image) => (
            <tr key={image.id} data-image-id={image.id}>
              <th scope="row">{image.name ?? image.id}</th>
              <td>
                <StatusBadge status={image.status} />
              </td>
              <td>{formatBytes(image.size)}</td>
              <td>{image.disk_format ?? '—'}</td>
              <td>{image.visibility}</td>
              <td>
                <code className="checksum">{image.checksum ?? '—'}</code>
              </td>
              <td>
                <ul className="properties">
                  {propertiesOf(image).map(([key, value]) => (
                    <li key={key}>
                      <code>{key}</code>={value}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
