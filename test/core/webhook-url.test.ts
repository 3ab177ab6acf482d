import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { isLoopbackHost, parseWebhookUrl } from '../../src/core/webhook-url.js';

describe('parseWebhookUrl', () => {
  it.each([
    ['https://wms.example/hooks/orders', 'https://wms.example/hooks/orders'],
    ['https://10.0.0.5:8443/in', 'https://10.0.0.5:8443/in'],
    ['http://127.0.0.1:8080/in', 'http://127.0.0.1:8080/in'],
    ['http://127.45.1.9/in', 'http://127.45.1.9/in'],
    ['http://localhost:3000/hook', 'http://localhost:3000/hook'],
    ['http://LOCALHOST/hook', 'http://localhost/hook'],
    ['http://[::1]:9000/hook', 'http://[::1]:9000/hook'],
  ])('accepts %s', (input, expected) => {
    expect(parseWebhookUrl(input)).toBe(expected);
  });

  it.each([
    ['http://wms.example/hooks/orders', 'plain http to another host'],
    ['http://10.0.0.5/in', 'plain http to another host'],
    ['http://128.0.0.1/in', 'plain http to another host'],
    ['http://127.0.0.1.evil.example/in', 'plain http to another host'],
    ['http://localhost.evil.example/in', 'plain http to another host'],
    ['http://[::2]/in', 'plain http to another host'],
    ['ftp://wms.example/in', 'must be an https URL'],
    ['wms.example/in', 'is not a URL'],
  ])('refuses %s', (input, message) => {
    expect(() => parseWebhookUrl(input)).toThrow(UsageError);
    expect(() => parseWebhookUrl(input)).toThrow(message);
  });

  it('names the host range http is allowed for', () => {
    expect(() => parseWebhookUrl('http://wms.example/x')).toThrow(/over https/);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.255', true],
    ['localhost', true],
    ['[::1]', true],
    ['127.0.0.256', false],
    ['0.0.0.0', false],
    ['example.com', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
