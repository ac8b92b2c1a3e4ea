using System.Net;
using Microsoft.Extensions.Options;

namespace Ombaro.Api.Infrastructure.RateLimiting;

/// <summary>
/// The caller's address: the connection's peer, or, when that peer is a trusted proxy, the nearest
/// address in <c>X-Forwarded-For</c> (read right to left) that is not itself a trusted proxy.
/// </summary>
public sealed class ClientAddress(IOptions<RateLimitOptions> options)
{
    public string? Of(HttpContext http)
    {
        var peer = Normalize(http.Connection.RemoteIpAddress);
        if (peer is null || !IsTrusted(peer)) return peer?.ToString();
        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = forwarded.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(forwarded[i], out var hop)) break;   // garbage: stop believing the chain
            hop = Normalize(hop)!;
            if (!IsTrusted(hop)) return hop.ToString();
            peer = hop;
        }
        return peer.ToString();
    }

    bool IsTrusted(IPAddress address) => options.Value.TrustedNetworks.Any(n => n.Contains(address));

    static IPAddress? Normalize(IPAddress? a) => a is { IsIPv4MappedToIPv6: true } ? a.MapToIPv4() : a;
}
