import assert from "node:assert/strict";
import { test } from "node:test";
import { endpointHost, endpointPlace } from "./endpoint-place.ts";

test("loopback and private-network endpoints are marked, in Model.endpoint and URL spellings", () => {
  const cases: Array<[string, string | undefined]> = [
    ["127.0.0.1:8080", "loopback"],
    ["127.200.3.4", "loopback"],
    ["[::1]:9000/v1", "loopback"],
    ["localhost:11434", "loopback"],
    ["LocalHost.:1", "loopback"],
    ["api.localhost", "loopback"],
    ["http://user:pw@127.0.0.1:1/v1?key=x", "loopback"],
    ["10.0.0.7:8000", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255:1/team-a/v1", "private"],
    ["192.168.1.20:1234", "private"],
    ["[fd12::1]:80", "private"],
    ["172.32.0.1", undefined],
    ["11.0.0.1", undefined],
    ["8.8.8.8:443", undefined],
    ["api.anthropic.com", undefined],
    ["generativelanguage.googleapis.com", undefined],
    ["127.0.0.1.example.com", undefined],
    ["replay", undefined],
    ["", undefined],
  ];
  for (const [endpoint, place] of cases) assert.equal(endpointPlace(endpoint), place, endpoint);
});

test("the host of an endpoint drops port, path, brackets and user info", () => {
  assert.equal(endpointHost("gw:8080/team-a/v1"), "gw");
  assert.equal(endpointHost("[::1]:9"), "::1");
  assert.equal(endpointHost("https://u:p@Example.COM:8443/x?y"), "example.com");
  assert.equal(endpointHost("http://["), undefined);
});

test("a bare IPv6 address, with or without brackets, is read as the host (as URL.hostname and the proxy check give it)", () => {
  assert.equal(endpointHost("::1"), "::1");
  assert.equal(endpointHost("[::1]"), "::1");
  assert.equal(endpointPlace("::1"), "loopback");
  assert.equal(endpointPlace("FE80::1"), "private");
  assert.equal(endpointPlace("2001:db8::1"), undefined);
});
