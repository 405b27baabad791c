import { describe, expect, it } from 'vitest';
import {
  allowedHosts,
  allowedOrigins,
  decide,
  loopbackHosts,
  RefusalCode,
  type GuardPolicy,
  type GuardRequest,
} from '../src/index.js';

const TOKEN = 'the-token-0123456789';
const hosts = allowedHosts([...loopbackHosts(8930), '192.0.2.7:8930'], ['Mcp.Example:443']);
/** The gateway's shape: origins of the listener's own names and those given, bearer header only. */
const gateway: GuardPolicy = {
  token: TOKEN,
  hosts,
  origins: allowedOrigins(loopbackHosts(8930), ['https://App.Example']),
};
/** The console's shape: every allowed host's page is an allowed origin, and `?token=` counts. */
const consolePolicy: GuardPolicy = { token: TOKEN, hosts, origins: allowedOrigins(hosts), queryToken: true };
const tokenless: GuardPolicy = { ...gateway, token: undefined };

const ok: GuardRequest = { host: '127.0.0.1:8930', origin: undefined, authorization: `Bearer ${TOKEN}` };

describe('decide', () => {
  it.each<[string, GuardPolicy, Partial<GuardRequest>, RefusalCode | undefined]>([
    ['the loopback names with the port', gateway, {}, undefined],
    ['localhost, any case', gateway, { host: 'LocalHost:8930' }, undefined],
    ['IPv6 loopback in brackets', gateway, { host: '[::1]:8930' }, undefined],
    ['IPv6 loopback without brackets', gateway, { host: '::1:8930' }, RefusalCode.HOST_NOT_ALLOWED],
    ['IPv6 loopback written out', gateway, { host: '[0:0:0:0:0:0:0:1]:8930' }, RefusalCode.HOST_NOT_ALLOWED],
    ['a given host, any case', gateway, { host: 'mcp.example:443' }, undefined],
    ['no Host', gateway, { host: undefined }, RefusalCode.HOST_NOT_ALLOWED],
    ['a foreign Host (DNS rebinding)', gateway, { host: 'attacker.example:8930' }, RefusalCode.HOST_NOT_ALLOWED],
    ['a loopback name on another port', gateway, { host: 'localhost:8931' }, RefusalCode.HOST_NOT_ALLOWED],
    ['no port', gateway, { host: 'localhost' }, RefusalCode.HOST_NOT_ALLOWED],
    ['an own origin', gateway, { origin: 'http://localhost:8930' }, undefined],
    ['an own origin, any case', gateway, { origin: 'HTTP://[::1]:8930' }, undefined],
    ['a given origin', gateway, { origin: 'https://app.example' }, undefined],
    ['a foreign origin', gateway, { origin: 'http://evil.example' }, RefusalCode.ORIGIN_NOT_ALLOWED],
    ['an own host over https', gateway, { origin: 'https://localhost:8930' }, RefusalCode.ORIGIN_NOT_ALLOWED],
    ['an opaque origin', gateway, { origin: 'null' }, RefusalCode.ORIGIN_NOT_ALLOWED],
    ['an origin without a scheme', gateway, { origin: 'localhost:8930' }, RefusalCode.ORIGIN_NOT_ALLOWED],
    ['an origin with a path', gateway, { origin: 'http://localhost:8930/' }, RefusalCode.ORIGIN_NOT_ALLOWED],
    // The gateway takes only the origins it is given for its further hosts; the console serves its page there.
    ['a given host as origin, gateway', gateway, { origin: 'http://mcp.example:443' }, RefusalCode.ORIGIN_NOT_ALLOWED],
    ['a given host as origin, console', consolePolicy, { origin: 'http://mcp.example:443' }, undefined],
    [
      'an origin without a scheme, console',
      consolePolicy,
      { origin: 'localhost:8930' },
      RefusalCode.ORIGIN_NOT_ALLOWED,
    ],
    ['no token', gateway, { authorization: undefined }, RefusalCode.TOKEN_INVALID],
    ['a wrong token', gateway, { authorization: 'Bearer wrong-token-0123456789' }, RefusalCode.TOKEN_INVALID],
    ['a token in the wrong scheme', gateway, { authorization: `Basic ${TOKEN}` }, RefusalCode.TOKEN_INVALID],
    ['the scheme in any case', gateway, { authorization: `bearer ${TOKEN}` }, undefined],
    ['a token prefix', gateway, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, RefusalCode.TOKEN_INVALID],
    ['a query token, gateway', gateway, { authorization: undefined, queryToken: TOKEN }, RefusalCode.TOKEN_INVALID],
    ['a query token, console', consolePolicy, { authorization: undefined, queryToken: TOKEN }, undefined],
    ['a wrong query token', consolePolicy, { authorization: undefined, queryToken: 'x' }, RefusalCode.TOKEN_INVALID],
    // The header wins: a wrong one is not rescued by a right query token.
    [
      'a wrong header, right query',
      consolePolicy,
      { authorization: 'Bearer x', queryToken: TOKEN },
      RefusalCode.TOKEN_INVALID,
    ],
    ['no token needed, loopback peer', tokenless, { authorization: undefined, remoteAddress: '127.0.0.1' }, undefined],
    [
      'no token needed, mapped peer',
      tokenless,
      { authorization: undefined, remoteAddress: '::ffff:127.0.0.1' },
      undefined,
    ],
    ['no token needed, IPv6 peer', tokenless, { authorization: undefined, remoteAddress: '::1' }, undefined],
    ['no token, a remote peer', tokenless, { remoteAddress: '192.0.2.9' }, RefusalCode.NOT_LOOPBACK],
    ['no token, still the Host check', tokenless, { host: 'attacker.example' }, RefusalCode.HOST_NOT_ALLOWED],
    ['a token set, a remote peer', gateway, { remoteAddress: '192.0.2.9' }, undefined],
  ])('%s', (_name, policy, change, code) => {
    expect(decide({ ...ok, ...change }, policy)?.code).toBe(code);
  });

  it('checks where a request comes from first, and the token only where one is needed', () => {
    const foreign = { ...ok, host: 'attacker.example', authorization: undefined };
    expect(decide(foreign, gateway)).toEqual({ status: 403, code: 'HOST_NOT_ALLOWED', message: 'Host not allowed' });
    expect(decide(foreign, gateway, true)?.status).toBe(403);
    expect(decide({ ...ok, authorization: undefined }, gateway, true)).toBeUndefined();
    expect(decide({ ...ok, origin: 'null' }, gateway)).toMatchObject({ status: 403, message: 'Origin not allowed' });
    expect(decide({ ...ok, authorization: undefined }, gateway)).toEqual({
      status: 401,
      code: 'TOKEN_INVALID',
      message: 'A valid bearer token is required',
    });
    expect(decide({ ...ok, authorization: undefined }, consolePolicy)?.message).toBe('A valid token is required');
  });
});
