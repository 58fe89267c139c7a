// Launch an instance: image, flavor, optional volume and zone; then follow its steps.
import { useState, type FormEvent, type ReactElement } from 'react';
import { useApi } from './api-context';
import { useAsyncAction } from './async-action';
import { textField } from './forms';
import { LaunchProgress } from './LaunchProgress';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { launchServer, listFlavors, listImages, listVolumes, listZones } from './resources';

const REFERENCE_INTERVAL_MS = 10_000;

export function LaunchPage(): ReactElement {
  const api = useApi();
  const images = usePolling(() => listImages(api), REFERENCE_INTERVAL_MS);
  const flavors = usePolling(() => listFlavors(api), null);
  const volumes = usePolling(() => listVolumes(api), REFERENCE_INTERVAL_MS);
  const zones = usePolling(() => listZones(api), null);
  const [launched, setLaunched] = useState<string>();
  const launch = useAsyncAction();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const request = { name: textField(form, 'name'), imageRef: textField(form, 'image'), flavorRef: textField(form, 'flavor'), availabilityZone: textField(form, 'zone'), volumeId: textField(form, 'volume') };
    void launch.run(async () => setLaunched(await launchServer(api, request)));
  };

  const activeImages = (images.data ?? []).filter((image) => image.status === 'active');
  const freeVolumes = (volumes.data ?? []).filter((volume) => volume.status === 'available');
  return (
    <section aria-labelledby="launch-title">
      <h1 id="launch-title">Launch an instance</h1>
      <form className="card form-grid" onSubmit={submit} aria-labelledby="launch-title">
        <label>
          Name
          <input name="name" required maxLength={255} />
        </label>
        <label>
          Image
          <select name="image" required>
            {activeImages.map((image) => (
              <option key={image.id} value={image.id}>
                {image.name ?? image.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Flavor
          <select name="flavor" required>
            {(flavors.data ?? []).map((flavor) => (
              <option key={flavor.id} value={flavor.id}>
                {flavor.name} ({flavor.vcpus} vCPU, {flavor.ram} MB, {flavor.disk} GB)
              </option>
            ))}
          </select>
        </label>
        <label>
          Volume (optional, attached as a data disk)
          <select name="volume" defaultValue="">
            <option value="">none</option>
            {freeVolumes.map((volume) => (
              <option key={volume.id} value={volume.id}>
                {volume.name ?? volume.id} ({volume.size} GB)
              </option>
            ))}
          </select>
        </label>
        <label>
          Availability zone
          <select name="zone" defaultValue="">
            <option value="">any</option>
            {(zones.data ?? []).map((zone) => (
              <option key={zone.zoneName}>{zone.zoneName}</option>
            ))}
          </select>
        </label>
        {images.data && activeImages.length === 0 && <Notice kind="info">No active image: upload one first.</Notice>}
        {(images.error ?? flavors.error) && <Notice kind="error">{images.error ?? flavors.error}</Notice>}
        {launch.error && <Notice kind="error">{launch.error}</Notice>}
        <button type="submit" disabled={launch.busy || activeImages.length === 0}>
          {launch.busy ? 'Launching…' : 'Launch'}
        </button>
      </form>
      {launched && <LaunchProgress key={launched} instanceId={launched} />}
    </section>
  );
}
