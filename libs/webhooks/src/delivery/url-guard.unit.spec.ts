import { checkTarget, isPrivateAddress, refusedUrl } from './url-guard';

const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe('webhook URLs', () => {
  it('only http and https, without credentials', async () => {
    expect(await refusedUrl('ftp://example.com/x', true)).toMatch(/http or https/);
    expect(await refusedUrl('not a url', true)).toMatch(/absolute http or https URL/);
    expect(await refusedUrl('javascript:alert(1)', true)).toMatch(/http or https/);
    expect(await refusedUrl('https://user:pw@example.com/', true)).toMatch(/credentials/);
    expect(await refusedUrl('https://example.com/hook', false, resolvesTo('93.184.216.34'))).toBeUndefined();
  });

  it('refuses loopback, private and link-local hosts, literal or resolved, unless private ones are allowed', async () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'http://172.20.0.1/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0/']) {
      expect(await refusedUrl(url, false)).toMatch(/loopback, private or link-local/);
      expect(await refusedUrl(url, true)).toBeUndefined();
    }
    expect(await refusedUrl('http://internal.example.com/', false, resolvesTo('93.184.216.34', '10.0.0.5'))).toMatch(/10\.0\.0\.5/);
    expect(await refusedUrl('http://localhost:9/', false)).toMatch(/loopback, private or link-local/);
  });

  it('resolves once and pins the checked address for the connection', async () => {
    let lookups = 0;
    const rebinding = async () => (lookups++ === 0 ? ['93.184.216.34', '2606:2800:220:1::1'] : ['127.0.0.1']);
    const checked = await checkTarget('https://hooks.example.com/in', false, rebinding);
    expect(checked).toEqual({ target: { url: new URL('https://hooks.example.com/in'), pinned: { address: '93.184.216.34', family: 4 } } });
    expect(lookups).toBe(1);
    // The next attempt resolves again and is refused: the host now points inside.
    expect(await checkTarget('https://hooks.example.com/in', false, rebinding)).toEqual({ refused: expect.stringMatching(/127\.0\.0\.1/) });
    expect(await checkTarget('http://[2606:4700::1111]:8080/', false)).toMatchObject({ target: { pinned: { address: '2606:4700::1111', family: 6 } } });
    // Private hosts allowed: nothing is resolved here, the connection looks the host up itself.
    expect(await checkTarget('http://localhost:9/', true)).toEqual({ target: { url: new URL('http://localhost:9/') } });
  });

  it('refuses a host that does not resolve', async () => {
    const fails = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await refusedUrl('https://nowhere.invalid/', false, fails)).toMatch(/does not resolve/);
  });

  it('tells public from private addresses', () => {
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2606:4700::1111')).toBe(false);
    expect(isPrivateAddress('100.64.0.1')).toBe(true);
    expect(isPrivateAddress('not-an-ip')).toBe(true);
  });
});
