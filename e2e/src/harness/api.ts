import type { Member, Role, Studio, User } from '@studios/protocol';

/** Thin API client for setting up scenarios quickly (the UI flows themselves are tested in the browser). */
export class ApiUser {
  private constructor(
    readonly baseUrl: string,
    readonly user: User,
    readonly cookie: string,
  ) {}

  static async signup(
    baseUrl: string,
    email: string,
    name: string,
    password = 'correct horse battery',
  ): Promise<ApiUser> {
    const response = await fetch(`${baseUrl}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name, password }),
    });
    if (response.status !== 201)
      throw new Error(`signup failed: ${response.status} ${await response.text()}`);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new ApiUser(baseUrl, (await response.json()) as User, cookie);
  }

  static async login(baseUrl: string, email: string, password: string): Promise<ApiUser> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new ApiUser(baseUrl, (await response.json()) as User, cookie);
  }

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async createStudio(name: string): Promise<Studio> {
    const response = await this.request('POST', '/api/studios', { name });
    if (response.status !== 201) throw new Error(`create studio failed: ${response.status}`);
    return (await response.json()) as Studio;
  }

  async addMember(studioId: string, email: string, role: Role): Promise<Member> {
    const response = await this.request('POST', `/api/studios/${studioId}/members`, { email, role });
    if (response.status !== 201) throw new Error(`add member failed: ${response.status}`);
    return (await response.json()) as Member;
  }

  /** Deletes a Studio (and so its container and workspace); used by specs to clean up. */
  async deleteStudio(studioId: string): Promise<void> {
    const response = await this.request('DELETE', `/api/studios/${studioId}`);
    if (response.status !== 204 && response.status !== 200 && response.status !== 404)
      throw new Error(`delete studio failed: ${response.status} ${await response.text()}`);
  }

  /** Creates an empty file (parents included) in the Studio's workspace. */
  async createFile(studioId: string, path: string): Promise<void> {
    const response = await this.request('POST', `/api/studios/${studioId}/files`, { path, kind: 'file' });
    if (response.status !== 201) throw new Error(`create file failed: ${response.status}`);
  }

  /** Uploads `content` as the file at `path`, replacing what was there. */
  async writeFile(studioId: string, path: string, content: string): Promise<void> {
    const response = await fetch(
      `${this.baseUrl}/api/studios/${studioId}/files/content?path=${encodeURIComponent(path)}`,
      {
        method: 'PUT',
        headers: { cookie: this.cookie, 'content-type': 'application/octet-stream' },
        body: content,
      },
    );
    if (!response.ok) throw new Error(`write file failed: ${response.status} ${await response.text()}`);
  }

  /** Cookie in the shape Playwright's context.addCookies wants. */
  browserCookie(): { name: string; value: string; url: string } {
    const [name = '', value = ''] = this.cookie.split('=');
    return { name, value, url: this.baseUrl };
  }
}
