namespace Ombaro.Api.Infrastructure.RateLimiting;

/// <summary>
/// The caller's address: the connection's peer, or, when that peer is a trusted proxy, the nearest
/// address in <c>X-Forwarded-For</c> (read right to left) that is not itself a trusted proxy. The one
/// place that answers "who is calling" for rate limits and the audit log.
/// </summary>
public sealed class ClientAddress(IOptions<RateLimitOptions> options)
{
    /// <summary>
    /// The subject of per-address limits: an IPv4 address as is, an IPv6 address as its network of
    /// <see cref="RateLimitOptions.IPv6PrefixLength"/> bits (default /64, what one subscriber gets), so that
    /// rotating addresses inside one's own prefix does not escape the limits. <c>unknown</c> without an address.
    /// </summary>
    public string Subject(HttpContext http) => Of(http) is { } address ? SubjectOf(IPAddress.Parse(address)) : "unknown";

    public string SubjectOf(IPAddress address)
    {
        address = Normalize(address)!;
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var prefix = options.Value.IPv6PrefixLength;
        return prefix >= 128 ? address.ToString() : new IPNetwork(Mask(address, prefix), prefix).ToString();
    }

    static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }

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

public static class ClientAddressExtensions
{
    /// <summary>The caller's proxy-aware address (<see cref="ClientAddress.Of"/>): what the audit log records.</summary>
    public static string? ClientIp(this HttpContext http) => http.RequestServices.GetRequiredService<ClientAddress>().Of(http);
}
