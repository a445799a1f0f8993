import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@studios/testkit';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEnv } from './app-env';
import { CONTENT_SECURITY_POLICY, NOTEBOOK_OUTPUT_FRAME_PATH, securityHeaders } from './middleware';
import { staticWeb } from './static-web';

const dist = tempDir();
writeFileSync(join(dist.dir, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(join(dist.dir, 'notebook-output-frame.html'), '<!doctype html><title>frame</title>');
const app = new Hono<AppEnv>().use('*', securityHeaders).use('*', staticWeb(dist.dir));
afterAll(() => dist.cleanup());

describe('the notebook output frame', () => {
  it('is sandboxed by its own policy: opaque origin, scripts but no network, framed only by the IDE', async () => {
    const response = await app.request(NOTEBOOK_OUTPUT_FRAME_PATH);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(policy.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('sandbox')).toEqual(['allow-scripts', 'allow-popups']);
    expect(directives.get('sandbox')).not.toContain('allow-same-origin');
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'self'"]);
    for (const sources of directives.values()) {
      expect(sources.filter((s) => /^(https?:|\*|'self')/.test(s) && s !== "'self'")).toEqual([]);
    }
    expect(directives.get('script-src')).not.toContain("'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('leaves the app itself under the strict policy, never framed', async () => {
    for (const path of ['/', '/studios/abc', '/notebook-output-frame.html/x']) {
      const response = await app.request(path);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });
});
