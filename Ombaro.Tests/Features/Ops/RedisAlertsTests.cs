using Ombaro.Api.Features.Ops;

namespace Ombaro.Tests.Features.Ops;

/// <summary>Each of the ops page's targets raises its alert just past the threshold and not at it.</summary>
public sealed class RedisAlertsTests
{
    static RedisServerReport.Server Server(string role, double? memoryPercent = 10, double evictionRate = 0, long evicted = 0,
        long rejected = 0, double p99 = 0.2, long samples = 100) =>
        new([role], "127.0.0.1:6379", true, null,
            new RedisServerReport.Info("7.0.15", 10, 100, memoryPercent, "allkeys-lru", evicted, 1000, evictionRate, 5, rejected, 100, 0, 0, null),
            [], new RedisLatency.Percentiles(samples, 0.1, 0.15, p99, p99, 60), null);

    static string Alerts(RedisServerReport.Server server) =>
        string.Join(" ", RedisAlerts.Check([server], []).Select(a => $"{a.Severity}:{a.Subject}:{a.Metric}"));

    [Theory]
    [InlineData(RedisRole.Cache, 80.0, "")]
    [InlineData(RedisRole.Cache, 80.1, "warning:cache:memory")]
    [InlineData(RedisRole.State, 80.1, "critical:state:memory")]
    public void memory_above_80_percent_of_maxmemory(string role, double percent, string expected) =>
        Assert.Equal(expected, Alerts(Server(role, memoryPercent: percent)));

    [Fact]
    public void no_maxmemory_means_no_memory_alert() => Assert.Equal("", Alerts(Server(RedisRole.Cache, memoryPercent: null)));

    [Theory]
    [InlineData(0.01, "")]
    [InlineData(0.0101, "warning:cache:evictionRate")]
    public void a_cache_evicting_more_than_1_percent_of_removed_keys(double rate, string expected) =>
        Assert.Equal(expected, Alerts(Server(RedisRole.Cache, evictionRate: rate, evicted: 5)));

    [Fact]
    public void any_eviction_on_the_state_server_is_critical_whatever_the_rate() =>
        Assert.Equal("critical:state:evictions", Alerts(Server(RedisRole.State, evictionRate: 0.0001, evicted: 1)));

    [Theory]
    [InlineData(1.0, 100, "")]
    [InlineData(1.01, 100, "warning:cache:p99")]
    [InlineData(5.0, 0, "")]            // no calls measured: nothing to say
    public void the_apps_p99_above_one_millisecond(double p99, long samples, string expected) =>
        Assert.Equal(expected, Alerts(Server(RedisRole.Cache, p99: p99, samples: samples)));

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "warning:state:rejectedConnections")]
    public void any_rejected_connection(long rejected, string expected) =>
        Assert.Equal(expected, Alerts(Server(RedisRole.State, rejected: rejected)));

    [Fact]
    public void one_server_for_both_roles_is_named_after_both_and_judged_as_state() =>
        Assert.Equal("critical:state+cache:memory", string.Join(" ", RedisAlerts.Check(
            [Server(RedisRole.State, memoryPercent: 90) with { Roles = [RedisRole.State, RedisRole.Cache] }], [])
            .Select(a => $"{a.Severity}:{a.Subject}:{a.Metric}")));
}
