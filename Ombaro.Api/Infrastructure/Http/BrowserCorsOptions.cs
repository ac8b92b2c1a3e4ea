namespace Ombaro.Api.Infrastructure.Http;

/// <summary><c>Cors:*</c>: which web origins may call the API from a browser.</summary>
public sealed class BrowserCorsOptions
{
    public const string Section = "Cors";

    /// <summary>Exact origins (<c>https://app.example.com</c>, scheme + host + port, no path). None by default.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser may cache a preflight answer.</summary>
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    internal static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && !origin.EndsWith('/');
}
