/** Thin API client for setting up scenarios quickly (the UI flows themselves are tested in the browser). */
export class ApiUser {
  baseUrl;
  user;
  cookie;
  constructor(baseUrl, user, cookie) {
    this.baseUrl = baseUrl;
    this.user = user;
    this.cookie = cookie;
  }
  static async signup(baseUrl, email, name, password = 'correct horse battery') {
    const response = await fetch(`${baseUrl}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name, password }),
    });
    if (response.status !== 201)
      throw new Error(`signup failed: ${response.status} ${await response.text()}`);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new ApiUser(baseUrl, await response.json(), cookie);
  }
  async request(method, path, body) {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  async createStudio(name) {
    const response = await this.request('POST', '/api/studios', { name });
    if (response.status !== 201) throw new Error(`create studio failed: ${response.status}`);
    return await response.json();
  }
  async addMember(studioId, email, role) {
    const response = await this.request('POST', `/api/studios/${studioId}/members`, { email, role });
    if (response.status !== 201) throw new Error(`add member failed: ${response.status}`);
    return await response.json();
  }
  /** Cookie in the shape Playwright's context.addCookies wants. */
  browserCookie() {
    const [name = '', value = ''] = this.cookie.split('=');
    return { name, value, url: this.baseUrl };
  }
}
