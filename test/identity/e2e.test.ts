// The real `openstack` CLI against `strata up`: log in, create a project and a user,
// grant a role, and log in as that user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openstack, openstackJson } from '../support/openstack.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';

let strata: RunningStrata;
beforeAll(async () => {
  strata = await startStrata();
}, 180_000);
afterAll(async () => {
  await strata.stop();
});

describe('openstack CLI against strata up', { timeout: 180_000 }, () => {
  it('issues a token for the admin with the printed environment', async () => {
    const token = await openstackJson(strata.adminEnv, ['token', 'issue']);
    expect(token).toMatchObject({ id: expect.any(String), project_id: expect.stringMatching(/^[0-9a-f]{32}$/), user_id: expect.any(String) });
  });

  it('creates a project and a user, grants a role, and the user logs in', async () => {
    const project = await openstackJson(strata.adminEnv, ['project', 'create', '--description', 'e2e project', 'e2e-project']);
    expect(project).toMatchObject({ name: 'e2e-project', description: 'e2e project', enabled: true, domain_id: 'default' });
    const user = await openstackJson(strata.adminEnv, ['user', 'create', '--password', 'e2e-secret', '--project', 'e2e-project', 'e2e-user']);
    expect(user).toMatchObject({ name: 'e2e-user', default_project_id: project.id, enabled: true });
    const grant = await openstack(strata.adminEnv, ['role', 'add', '--user', 'e2e-user', '--project', 'e2e-project', 'member']);
    expect(grant.exitCode, grant.stderr).toBe(0);

    const assignments = await openstackJson<Array<Record<string, string>>>(strata.adminEnv, ['role', 'assignment', 'list', '--user', 'e2e-user', '--names']);
    expect(assignments).toEqual([expect.objectContaining({ Role: 'member', User: 'e2e-user@Default', Project: 'e2e-project@Default' })]);

    const userEnv = { ...strata.adminEnv, OS_USERNAME: 'e2e-user', OS_PASSWORD: 'e2e-secret', OS_PROJECT_NAME: 'e2e-project' };
    const token = await openstackJson(userEnv, ['token', 'issue']);
    expect(token).toMatchObject({ project_id: project.id, user_id: user.id });

    const refused = await openstack(userEnv, ['project', 'create', 'not-allowed']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/HTTP 403/);
    const wrongPassword = await openstack({ ...userEnv, OS_PASSWORD: 'nope' }, ['token', 'issue']);
    expect(wrongPassword.exitCode).not.toBe(0);
    expect(wrongPassword.stderr).toMatch(/HTTP 401/);
  });

  it('lists, shows and deletes with names', async () => {
    const projects = await openstackJson<Array<{ Name: string }>>(strata.adminEnv, ['project', 'list']);
    expect(projects.map((project) => project.Name)).toEqual(expect.arrayContaining(['admin', 'e2e-project']));
    const roles = await openstackJson<Array<{ Name: string }>>(strata.adminEnv, ['role', 'list']);
    expect(roles.map((role) => role.Name).sort()).toEqual(['admin', 'member', 'reader']);
    expect((await openstack(strata.adminEnv, ['user', 'delete', 'e2e-user'])).exitCode).toBe(0);
    const gone = await openstack(strata.adminEnv, ['user', 'show', 'e2e-user']);
    expect(gone.exitCode).not.toBe(0);
  });
});
