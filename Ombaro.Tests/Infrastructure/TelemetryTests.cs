using OpenTelemetry.Trace;

namespace Ombaro.Tests.Infrastructure;

[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(ApiFixture api)
{
    [Fact]
    public async Task metrics_expose_the_cache_counters_to_a_loopback_scraper()
    {
        var cache = api.Services.GetRequiredService<CacheAside>();
        var key = RedisKeys.Cache("telemetrytest", Guid.NewGuid());
        await cache.GetOrLoadAsync("telemetry-test", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<string?>("v"), default);
        await cache.GetOrLoadAsync("telemetry-test", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<string?>("v"), default);

        var result = await api.Host.Scenario(s =>
        {
            s.Get.Url("/metrics");
            s.ConfigureHttpContext(http => http.Connection.RemoteIpAddress = IPAddress.Loopback);
            s.StatusCodeShouldBeOk();
        });
        var text = await result.ReadAsTextAsync();

        Assert.Matches("""ombaro_cache_hits_total\{[^}]*cache_name="telemetry-test"[^}]*\} [1-9]""", text);
        Assert.Matches("""ombaro_cache_misses_total\{[^}]*cache_name="telemetry-test"[^}]*\} [1-9]""", text);
        Assert.Contains("http_server_request_duration_seconds", text);
    }

    [Theory]
    [InlineData("10.1.2.3", null)]
    [InlineData("127.0.0.1", "203.0.113.7")]
    public async Task metrics_are_hidden_from_remote_and_proxied_callers(string remote, string? forwardedFor)
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Get.Url("/metrics");
            s.ConfigureHttpContext(http => http.Connection.RemoteIpAddress = IPAddress.Parse(remote));
            if (forwardedFor is not null) s.WithRequestHeader("X-Forwarded-For", forwardedFor);
            s.StatusCodeShouldBe(HttpStatusCode.NotFound);
            s.ContentTypeShouldBe("application/problem+json");
        });
        Assert.DoesNotContain("ombaro_cache", await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task traces_are_collected_only_when_an_otlp_endpoint_is_configured()
    {
        Assert.Null(api.Services.GetService<TracerProvider>());
        // Its own host: an OTLP endpoint configured.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" });
        Assert.NotNull(host.Services.GetService<TracerProvider>());
    }
}
