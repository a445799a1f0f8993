import { describe, expect, it } from 'vitest';
import { compilePathPattern } from '../path-pattern';
import { rawHttp } from '../testing/raw-http';
import { classifiedHttpRoutes, type HttpRoute, sampleUrl } from '../testing/route-policy';
import { authHeaders, useSecurityFixture } from '../testing/security-fixture';
import { stateFingerprint } from '../testing/state-fingerprint';

const MAX_BODY_BYTES = 16 * 1024;

const f = useSecurityFixture({ config: { maxBodyBytes: MAX_BODY_BYTES } });

/** The body limit the server applies to a path: a feature's larger limit, else the default. */
function bodyLimitOf(path: string): number {
  const rules = f.t.server.features.flatMap((feature) => feature.bodyLimits ?? []);
  return rules.find((rule) => compilePathPattern(rule.pattern)(path))?.maxBytes ?? MAX_BODY_BYTES;
}

/** Whoever may call the route at all (the owner for anything behind sign-in). */
const callerOf = (route: HttpRoute) => (route.policy.access === 'public' ? undefined : f.owner);

/** Bodies that must be refused with 400 invalid_request, derived from the route's valid sample. */
function badBodies(sample: Record<string, unknown>): Array<[string, string]> {
  const valid = JSON.stringify(sample);
  const wrongTypes = Object.fromEntries(Object.keys(sample).map((key) => [key, { wrong: [1] }]));
  return [
    ['truncated JSON', valid.slice(0, -1)],
    ['not JSON', 'name=x'],
    ['empty body', ''],
    ['trailing garbage', `${valid}}`],
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"text"'],
    ['every field of the wrong type', JSON.stringify(wrongTypes)],
    ['an unknown field', JSON.stringify({ ...sample, isAdmin: true })],
    ['a __proto__ field', `{"__proto__":{"isAdmin":true},${valid.slice(1)}`],
  ];
}

describe('request bodies', () => {
  it('answers malformed, mistyped and over-specified JSON on every body route with 400 and issues; writes nothing', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    for (const route of classifiedHttpRoutes(f.t.server).filter((r) => r.policy.body === 'json')) {
      const sample = route.policy.sample(f, f.owner);
      for (const [label, body] of badBodies(sample.body as Record<string, unknown>)) {
        const response = await f.t.request(sampleUrl(sample), {
          method: route.method,
          headers: {
            ...authHeaders(callerOf(route)),
            origin: f.t.origin,
            'content-type': 'application/json',
          },
          body,
        });
        const answer = (await response.json().catch(() => undefined)) as
          | { code?: string; issues?: unknown[] }
          | undefined;
        if (response.status !== 400 || answer?.code !== 'invalid_request' || !answer.issues?.length) {
          failures.push(`${route.key} with ${label}: ${response.status} ${JSON.stringify(answer)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('answers an upload without a valid ?path with 400', async () => {
    const route = classifiedHttpRoutes(f.t.server).find((r) => r.policy.body === 'raw');
    if (!route) throw new Error('no raw upload route');
    const before = await stateFingerprint(f);
    const { path } = route.policy.sample(f, f.owner);
    for (const query of ['', '?path=', '?path=%00x', '?other=x']) {
      const response = await f.call(route.method, `${path}${query}`, f.owner, undefined, {
        'content-type': 'application/octet-stream',
      });
      expect(response.status, query).toBe(400);
    }
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('answers a body over the limit with 413 on every body route, declared or streamed; writes nothing', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    for (const route of classifiedHttpRoutes(f.t.server).filter((r) => r.policy.body !== 'none')) {
      const sample = route.policy.sample(f, f.owner);
      const limit = bodyLimitOf(sample.path);
      const headers = {
        ...authHeaders(callerOf(route)),
        origin: f.t.origin,
        'content-type': route.policy.body === 'json' ? 'application/json' : 'application/octet-stream',
      };
      // Declared: refused from the header alone, before the body arrives (only 2 bytes are sent).
      const declared = await rawHttp(f.t.url, {
        method: route.method,
        path: sampleUrl(sample),
        headers,
        body: '{"',
        declaredLength: limit + 1,
      });
      if (declared.status !== 413 || !declared.body.includes('payload_too_large')) {
        failures.push(`${route.key} declared: ${declared.status} ${declared.body}`);
      }
      if (limit > MAX_BODY_BYTES) continue; // streaming 100 MiB would only slow the suite down
      const padding = 'x'.repeat(limit + 1);
      const streamed = await f.t.request(sampleUrl(sample), {
        method: route.method,
        headers,
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(`{"name":"${padding}"}`));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      if (streamed.status !== 413) failures.push(`${route.key} streamed: ${streamed.status}`);
    }
    expect(failures).toEqual([]);
    expect(await stateFingerprint(f)).toBe(before);
  });
});

describe('container spec escalation', () => {
  /** Fields a caller could try to smuggle into the container configuration. */
  const ESCALATIONS: Array<[string, Record<string, unknown>]> = [
    ['privileged', { privileged: true }],
    ['image', { image: 'attacker/miner:latest' }],
    ['binds', { binds: ['/:/host', '/var/run/docker.sock:/var/run/docker.sock'] }],
    ['capAdd', { capAdd: ['SYS_ADMIN', 'NET_RAW'] }],
    ['devices', { devices: ['/dev/nvidia0', '/dev/kmsg'] }],
    ['env NVIDIA_VISIBLE_DEVICES', { env: { NVIDIA_VISIBLE_DEVICES: 'all' } }],
    ['HostConfig', { HostConfig: { Privileged: true, NetworkMode: 'host' } }],
  ];
  const UNKNOWN_MACHINES = ['no-such-type', 'cpu-small ', 'CPU-SMALL', '../gpu-1', ''];

  it('refuses extra container fields and unknown machine types on create and machine switch with 400', async () => {
    const before = await stateFingerprint(f);
    const attempts: Array<[string, string, Record<string, unknown>]> = [];
    for (const [label, extra] of ESCALATIONS) {
      attempts.push([`create with ${label}`, '/api/studios', { name: 'Escalated', ...extra }]);
      attempts.push([
        `switch with ${label}`,
        `/api/studios/${f.studio.id}/machine`,
        { machineType: 'cpu-large', ...extra },
      ]);
    }
    for (const machineType of UNKNOWN_MACHINES) {
      attempts.push([`create on "${machineType}"`, '/api/studios', { name: 'Escalated', machineType }]);
      attempts.push([`switch to "${machineType}"`, `/api/studios/${f.studio.id}/machine`, { machineType }]);
    }
    const failures: string[] = [];
    for (const [label, path, body] of attempts) {
      const response = await f.call('POST', path, f.owner, body);
      if (response.status !== 400) failures.push(`${label}: ${response.status} ${await response.text()}`);
    }
    expect(failures).toEqual([]);
    expect(await stateFingerprint(f)).toBe(before);
    expect((await f.driver.status(f.studio.id)).state).toBe('running');
  });
});
