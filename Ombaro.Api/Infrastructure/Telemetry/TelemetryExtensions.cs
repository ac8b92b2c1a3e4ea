using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ombaro.Api.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry: metrics for ASP.NET Core, Npgsql and the app's meters (cache, rate limiting), scraped
/// at <c>/metrics</c> from loopback only; traces of ASP.NET Core, StackExchange.Redis and Npgsql, and
/// OTLP export of everything, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetryExtensions
{
    public const string ServiceName = "ombaro-api";
    public const string ScrapePath = "/metrics";
    /// <summary>The rate limiter's meter (its counters are defined where rate limiting lives).</summary>
    public const string RateLimitingMeter = "Ombaro.RateLimiting";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? ServiceName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(CacheMetrics.MeterName, RateLimitingMeter, Otp.SmsBudget.MeterName)
                .AddPrometheusExporter());

        // Traces only go somewhere with an OTLP endpoint; without one they would cost a profiled Redis
        // command and an activity per request for nothing.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return builder;
        otel.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsPlatformPath(http.Request.Path))
                .AddNpgsql()
                .AddRedisInstrumentation()
                .ConfigureRedisInstrumentation((sp, redis) =>
                {
                    var connections = sp.GetRequiredService<RedisConnections>();
                    redis.AddConnection(RedisRole.State, connections.State);
                    if (!ReferenceEquals(connections.State, connections.Cache)) redis.AddConnection(RedisRole.Cache, connections.Cache);
                }))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// The Prometheus scrape endpoint. With <c>Metrics:ScrapeToken</c> set, answered only to
    /// <c>Authorization: Bearer {token}</c> (from anywhere, proxies included); without it, only to a direct loopback
    /// connection (a scraper on the same host or pod) that names no proxy. Anything else gets the usual 404.
    /// </summary>
    public static WebApplication UseTelemetry(this WebApplication app)
    {
        var token = app.Configuration[ScrapeTokenSetting];
        if (token is { Length: > 0 and < 32 })
            throw new Configuration.StartupConfigurationException($"{ScrapeTokenSetting} is shorter than 32 characters: use a long random token (e.g. openssl rand -hex 32)");
        var expected = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == ScrapePath
            && (expected is null ? IsDirectLoopback(http) : HasToken(http, expected)));
        return app;
    }

    public const string ScrapeTokenSetting = "Metrics:ScrapeToken";

    static bool HasToken(HttpContext http, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString())), expected);

    static bool IsDirectLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
        && !http.Request.Headers.ContainsKey("X-Forwarded-For") && !http.Request.Headers.ContainsKey("Forwarded");

    static bool IsPlatformPath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(ScrapePath) || path.StartsWithSegments("/ops");
}
