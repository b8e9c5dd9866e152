/**
 * Whether an endpoint is this machine or a private network, so that a report cannot pass a local stand-in
 * (a loopback fake answering as "anthropic:claude-sonnet-4") for the provider's real API. Decided from
 * the endpoint's text alone (no name is resolved): a literal address in a loopback or private range, or
 * `localhost`. A public name is not proved public: it is simply not marked.
 */
import { BlockList, isIP } from "node:net";

export type EndpointPlace = "loopback" | "private";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

const privateNetworks = new BlockList();
privateNetworks.addSubnet("10.0.0.0", 8, "ipv4");
privateNetworks.addSubnet("172.16.0.0", 12, "ipv4");
privateNetworks.addSubnet("192.168.0.0", 16, "ipv4");
// Link-local and IPv6 unique-local addresses never reach a provider's public API either.
privateNetworks.addSubnet("169.254.0.0", 16, "ipv4");
privateNetworks.addSubnet("fc00::", 7, "ipv6");
privateNetworks.addSubnet("fe80::", 10, "ipv6");

/** The host of an endpoint written as `host:port/path` (`Model.endpoint`) or as a URL. */
export function endpointHost(endpoint: string): string | undefined {
  const text = endpoint.trim();
  // A bare IPv6 address (`::1`, as URL.hostname gives it without brackets) is no URL authority.
  const bare = text.replace(/^\[|\]$/g, "");
  if (isIP(bare) === 6) return bare.toLowerCase();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    return (
      url.hostname
        .replace(/^\[|\]$/g, "")
        .replace(/\.$/, "")
        .toLowerCase() || undefined
    );
  } catch {
    return undefined;
  }
}

/** Address of an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) in its IPv4 form; others unchanged. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** "loopback", "private", or undefined for anything else (a public address or a name). */
export function endpointPlace(endpoint: string): EndpointPlace | undefined {
  const host = endpointHost(endpoint);
  if (host === undefined) return undefined;
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  const address = unmapped(host);
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (loopback.check(address, type)) return "loopback";
  if (privateNetworks.check(address, type)) return "private";
  return undefined;
}

/** The words reports show beside a marked endpoint. */
export function endpointPlaceText(place: EndpointPlace | undefined): string {
  if (place === "loopback") return "LOCAL: loopback address (this machine), not the provider's public API";
  if (place === "private") return "LOCAL: private-network address, not the provider's public API";
  return "not a local address";
}
