// The operator console in a real browser (Debian's Chromium through playwright-core)
// against `strata up`: log in, upload the BIOS test guest with a visible progress bar,
// launch it and watch it reach ACTIVE, read its timeline and console, make a launch fail
// (a boot marker the guest never prints), fix the image, press Retry and see it recover.
// Screenshots of every page go to test/artifacts/console/.
import { execa } from 'execa';
import { copyFile, mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../runtime/wait.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { biosGuestDone } from '../hypervisor/guest-report.js';
import { adminClient, uploadImage, type ComputeClient } from '../launch-e2e/compute-client.js';
import { stopAllVms } from '../launch-e2e/launch-lab.js';
import { freePort } from '../support/ports.js';
import { adoptTgtd, stopTgtd } from '../../storage/tgt/tgtd-process.js';
import { ADMIN_PASSWORD, startStrata, type RunningStrata } from '../support/strata-up.js';
import { openConsoleBrowser, throttleUploads, type ConsoleBrowser } from './browser.js';
import { ensureConsoleBuilt } from './console-build.js';

/** The guest padded with zeros (boots the same): big enough for an upload to take seconds. */
const UPLOAD_BYTES = 48 * 1024 * 1024;
const UPLOAD_RATE = 12 * 1024 * 1024;
const LAUNCH_TIMEOUT_MS = 180_000;

let strata: RunningStrata;
let client: ComputeClient;
let ui: ConsoleBrowser;
let page: Page;
let work: string;
/** This file's own iSCSI port: the default 3260 may be another deployment's. */
let iscsiPort: number;
/** The instances the tests launched: one that boots, one whose first launch fails. */
const ids = { good: '', bad: '', withVolume: '' };

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  await ensureConsoleBuilt();
  work = await mkdtemp(join(tmpdir(), 'strata-console-browser-'));
  // A short boot wait, so the launch whose marker never appears fails within seconds.
  iscsiPort = await freePort();
  strata = await startStrata({ STRATA_COMPUTE_BOOT_TIMEOUT_SECONDS: '15', STRATA_STORAGE_ISCSI_PORT: String(iscsiPort) });
  client = await adminClient(strata.apiUrl, strata.adminEnv);
  ui = await openConsoleBrowser();
  page = ui.page;
}, 300_000);
afterAll(async () => {
  await ui?.close();
  if (strata) await stopAllVms(strata.dataDir);
  await strata?.stop();
  // The storage node's tgtd outlives its worker by design: stop it before its directory goes.
  const tgtd = strata && (await adoptTgtd({ stateDir: join(strata.dataDir, 'volumes/test-node/.tgt'), address: '127.0.0.1', port: iscsiPort }));
  if (tgtd) await stopTgtd(tgtd);
  if (strata) await rm(strata.dataDir, { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

const nav = (name: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name });
const rowOf = (id: string) => page.locator(`tr[data-instance-id="${id}"]`);

async function launchFromForm(name: string, imageName: string, volumeLabel?: string): Promise<string> {
  await nav('Launch').click();
  // The fields of the launch form itself: right after the click the page being left (the
  // images page has a Name field too) may still be on screen.
  const form = page.getByRole('form', { name: 'Launch an instance' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Image').selectOption({ label: imageName });
  await form.getByLabel('Flavor').selectOption('1');
  if (volumeLabel) await form.getByLabel(/^Volume/).selectOption({ label: volumeLabel });
  await form.getByRole('button', { name: 'Launch', exact: true }).click();
  const progress = page.getByTestId('launch-progress').filter({ has: page.getByRole('heading', { name: `Launch of ${name}` }) });
  const link = progress.getByRole('link', { name: 'Open the instance' });
  // Either the launch is accepted (its progress appears) or the form says why not.
  const refusal = form.getByRole('alert');
  await link.or(refusal).first().waitFor({ timeout: 60_000 });
  if (await refusal.isVisible()) throw new Error(`the launch form refused: ${await refusal.textContent()}`);
  return decodeURIComponent(String(await link.getAttribute('href')).split('/').at(-1) ?? '');
}

describe('operator console in Chromium against strata up', { timeout: 300_000 }, () => {
  it('logs in with the Keystone admin user and password', async () => {
    await page.goto(`${strata.apiUrl}/console/`);
    await expect.poll(() => page.title()).toBe('strata console');
    await page.getByLabel('User').fill(strata.adminEnv.OS_USERNAME ?? 'admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('requires authentication');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await ui.screenshot('01-login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('project admin');
    // The token lives in this tab's sessionStorage only: no cookie carries it.
    expect(await ui.context.cookies()).toEqual([]);
  });

  it('uploads an image with a visible progress bar', async () => {
    const file = join(work, 'console-bios.raw');
    await copyFile(guestImages.biosRaw, file);
    await truncate(file, UPLOAD_BYTES);
    await nav('Images').click();
    await page.getByLabel('File').setInputFiles(file);
    await page.getByLabel('Name').fill('console-bios');
    await page.getByLabel('Visibility').selectOption('public');
    await page.getByLabel(/Properties/).fill(`strata_boot_marker=${biosGuestDone}\nos_distro=strata-test-guest`);
    const unthrottle = await throttleUploads(page, UPLOAD_RATE);
    await page.getByRole('button', { name: 'Upload' }).click();
    const bar = page.locator('progress#upload-progress');
    await bar.waitFor();
    // Sample the bar while the bytes go up: it must show partial progress, not just jump.
    const seen = new Set<number>();
    await waitUntil('the upload to show partial progress', async () => {
      const percent = await bar.getAttribute('data-percent', { timeout: 1000 }).catch(() => null);
      if (percent !== null) seen.add(Number(percent));
      if ([...seen].filter((value) => value > 0 && value < 100).length >= 2) return true;
      return false;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    await ui.screenshot('02-image-upload-progress');
    expect(await page.getByText(/Uploading: .* of 48\.0 MiB/).count()).toBe(1);
    await page.getByText('Uploaded console-bios').waitFor({ timeout: 60_000 });
    await unthrottle();
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'console-bios' }) });
    await row.getByText('active').waitFor();
    expect(await row.textContent()).toContain('48.0 MiB');
    expect(await row.textContent()).toContain(`strata_boot_marker=${biosGuestDone}`);
    expect(await row.textContent()).toMatch(/[0-9a-f]{32}/);
    await ui.screenshot('03-images');
  });

  it('launches an instance from the form and shows its steps until ACTIVE', async () => {
    ids.good = await launchFromForm('console-vm', 'console-bios');
    const steps = page.getByRole('list', { name: 'Steps so far' }).getByRole('listitem');
    const state = page.getByTestId('launch-state');
    await waitUntil('the launch to reach ACTIVE', async () => (await state.textContent())?.startsWith('ACTIVE') ?? false, { timeoutMs: LAUNCH_TIMEOUT_MS, intervalMs: 250 });
    await waitUntil('the last step to show', async () => (await steps.allTextContents()).includes('Instance booted'), { timeoutMs: 10_000, intervalMs: 250 });
    expect(await steps.allTextContents()).toEqual(expect.arrayContaining(['Instance requested', 'Instance scheduled', 'Root disk created', 'VM started', 'Instance booted']));
    await ui.screenshot('04-launch-steps');
    await nav('Instances').click();
    await rowOf(ids.good).getByText('ACTIVE').waitFor();
    expect(await rowOf(ids.good).textContent()).toContain('test-host');
    expect(await rowOf(ids.good).textContent()).toContain('m1.tiny');
    expect(await rowOf(ids.good).textContent()).toContain('console-bios');
    await ui.screenshot('05-instances');
  });

  it('opens the instance timeline and console log', async () => {
    await rowOf(ids.good).getByRole('link', { name: 'console-vm' }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const timeline = page.locator('ol.timeline > li');
    await waitUntil('the timeline to load', async () => (await timeline.count()) >= 5, { timeoutMs: 15_000, intervalMs: 250 });
    const types = await Promise.all((await timeline.all()).map((item) => item.getAttribute('data-event-type')));
    expect(types[0]).toBe('InstanceRequested.v1');
    expect(types.at(-1)).toBe('InstanceBooted.v1');
    expect(await page.locator('ol.timeline').textContent()).toContain(`launch-${ids.good}`);
    await page.getByTestId('console-log').getByText(biosGuestDone).waitFor({ timeout: 20_000 });
    const workflowLink = page.getByRole('link', { name: new RegExp(`launch-${ids.good}`) }).first();
    expect(await workflowLink.getAttribute('href')).toBe(`${strata.uiUrl}/namespaces/default/workflows/launch-${ids.good}`);
    await ui.screenshot('06-instance-detail');
  });

  it('shows a failed launch live, retries it from the failures page and sees it recover', async () => {
    const imageId = await uploadImage(client, 'never-boots', guestImages.biosRaw, { strata_boot_marker: 'NEVER-PRINTED' });
    ids.bad = await launchFromForm('console-fails', 'never-boots');
    await nav('Instances').click();
    await page.evaluate('window.strataNoReload = true');
    await rowOf(ids.bad).getByText('ERROR').waitFor({ timeout: LAUNCH_TIMEOUT_MS });
    // The row changed without a reload, and the change was announced in the live region.
    expect(await page.evaluate('window.strataNoReload')).toBe(true);
    expect(await page.getByTestId('instances-live').textContent()).toContain('console-fails is now ERROR');

    await nav('Failed operations').click();
    const failure = rowOf(ids.bad);
    await failure.waitFor({ timeout: 30_000 });
    expect(await failure.textContent()).toMatch(/boot|NEVER-PRINTED/i);
    await ui.screenshot('07-failures');

    // The operator fixes the image (the retry launches with the image as it is now), then retries.
    const patched = await fetch(`${strata.apiUrl}/image/v2/images/${imageId}`, {
      method: 'PATCH',
      headers: { 'x-auth-token': client.token, 'content-type': 'application/openstack-images-v2.1-json-patch' },
      body: JSON.stringify([{ op: 'replace', path: '/strata_boot_marker', value: biosGuestDone }]),
    });
    expect(patched.status).toBe(200);
    await failure.getByRole('button', { name: /^Retry/ }).click();
    await failure.waitFor({ state: 'detached', timeout: 30_000 });
    await nav('Instances').click();
    await rowOf(ids.bad).getByText('ACTIVE').waitFor({ timeout: LAUNCH_TIMEOUT_MS });
    await rowOf(ids.bad).getByRole('link').click();
    await waitUntil('the retry in the timeline', async () => (await page.locator('li[data-event-type="InstanceRetryRequested.v1"]').count()) === 1, { timeoutMs: 15_000, intervalMs: 250 });
    await page.getByTestId('console-log').getByText(biosGuestDone).waitFor({ timeout: 20_000 });
    await ui.screenshot('08-recovered-instance');
  });

  it('shows hosts with capacity used and free', async () => {
    await nav('Hosts').click();
    const host = page.getByRole('article', { name: 'test-host' });
    await host.waitFor();
    expect(await host.textContent()).toMatch(/RAM: 1024 of \d+ MB used/);
    // The host's worker lists its cache: both images the instances boot from are there.
    await host.getByRole('button', { name: 'Show cached images' }).click();
    const cached = host.getByRole('list', { name: 'Images cached on test-host' });
    await cached.waitFor({ timeout: 30_000 });
    expect((await cached.getByRole('listitem').allTextContents()).map((item) => item.split(' ')[0]).sort()).toEqual(['console-bios', 'never-boots']);
    await ui.screenshot('09-hosts');
  });

  it('works by keyboard and at phone width', async () => {
    await nav('Instances').click();
    const focused = () => page.evaluate('document.activeElement.id || document.activeElement.textContent');
    // Navigating moves focus to the new page's content.
    await expect.poll(focused).toBe('main');
    // Backwards from the content: the navigation, the log-out button, then the skip link first of all.
    const order: string[] = [];
    for (let press = 0; press < 10 && order.at(-1) !== 'Skip to content'; press++) {
      await page.keyboard.press('Shift+Tab');
      order.push(String(await focused()).trim());
    }
    expect(order).toEqual(['Hosts', 'Failed operations', 'Images', 'Launch', 'Instances', 'Log out', 'Skip to content']);
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('main');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Launch instance');
    await page.setViewportSize({ width: 390, height: 844 });
    await rowOf(ids.good).waitFor();
    // The table scrolls inside its frame; the page itself never scrolls sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await ui.screenshot('10-instances-phone');
  });

  it('deletes an instance after the operator confirms', async () => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await rowOf(ids.good).getByRole('link').click();
    await page.getByRole('heading', { name: 'console-vm' }).waitFor();
    const deleteButton = page.getByRole('button', { name: 'Delete console-vm' });
    const deletes: string[] = [];
    page.on('request', (request) => void (request.method() === 'DELETE' && deletes.push(request.url())));
    // Declining the confirmation sends nothing; accepting sends one DELETE.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await deleteButton.click();
    expect(deletes).toEqual([]);
    page.once('dialog', (dialog) => void dialog.accept());
    await deleteButton.click();
    await waitUntil('the DELETE to be sent', () => Promise.resolve(deletes.length === 1), { timeoutMs: 10_000, intervalMs: 100 });
    expect(deletes).toEqual([`${strata.apiUrl}/compute/v2.1/servers/${ids.good}`]);
    await waitUntil('the delete in the timeline', async () => (await page.locator('li[data-event-type="InstanceDeleted.v1"]').count()) === 1, { timeoutMs: 120_000, intervalMs: 500 });
    await nav('Instances').click();
    await rowOf(ids.bad).waitFor();
    expect(await rowOf(ids.good).count()).toBe(0);
  });

  it('launches with a volume chosen in the form, attached as a data disk', async () => {
    const token = await (await fetch(`${strata.apiUrl}/identity/v3/auth/tokens`, { headers: { 'x-auth-token': client.token, 'x-subject-token': client.token } })).json();
    const projectId = (token as { token: { project: { id: string } } }).token.project.id;
    const volumes = `${strata.apiUrl}/volume/v3/${projectId}/volumes`;
    const created = await fetch(volumes, { method: 'POST', headers: { 'x-auth-token': client.token, 'content-type': 'application/json' }, body: JSON.stringify({ volume: { size: 1, name: 'console-data' } }) });
    expect(created.status).toBe(202);
    const volumeId = ((await created.json()) as { volume: { id: string } }).volume.id;
    const statusOf = async () => ((await (await fetch(`${volumes}/${volumeId}`, { headers: { 'x-auth-token': client.token } })).json()) as { volume: { status: string } }).volume.status;
    await waitUntil('the volume to be available', async () => (await statusOf()) === 'available', { timeoutMs: 60_000, intervalMs: 250 });
    ids.withVolume = await launchFromForm('console-volume', 'console-bios', 'console-data (1 GB)');
    const state = page.getByTestId('launch-state');
    await waitUntil('the launch with a volume to reach ACTIVE', async () => {
      const now = (await state.textContent()) ?? '';
      if (now.startsWith('ERROR')) throw new Error(`launch failed: ${await page.getByTestId('launch-progress').textContent()}`);
      return now.startsWith('ACTIVE');
    }, { timeoutMs: LAUNCH_TIMEOUT_MS, intervalMs: 250 }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; the form shows: ${await page.getByTestId('launch-progress').textContent()}`);
    });
    await page.getByTestId('launch-progress').getByRole('link', { name: 'Open the instance' }).click();
    await page.getByText(volumeId).waitFor({ timeout: 15_000 });
    // The guest wrote its mark on the volume: its second disk, as m1.tiny has no ephemeral disk.
    await page.getByTestId('console-log').getByText(biosGuestDone).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('console-log').textContent()).toContain(`vdb-wrote: STRATA-MARK boot=1 id=${ids.withVolume}`);
    expect(await statusOf()).toBe('in-use');
    await ui.screenshot('11-instance-with-volume');
  });

  it('logs out, and no request ever left the loopback address', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    const hosts = new Set(ui.requests.map((url) => new URL(url).hostname));
    expect([...hosts]).toEqual(['127.0.0.1']);
    expect(ui.requests.length).toBeGreaterThan(20);
    expect(ui.pageErrors).toEqual([]);
  });
});
