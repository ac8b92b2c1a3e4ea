using Ombaro.Api.Features.Ops;

namespace Ombaro.Tests.Infrastructure;

public sealed class RedisLatencyTests
{
    static long Ticks(double microseconds) => (long)(microseconds * Stopwatch.Frequency / 1_000_000);

    [Fact]
    public void every_value_falls_in_a_bucket_whose_upper_bound_is_within_an_eighth()
    {
        foreach (var micros in new long[] { 0, 1, 7, 8, 9, 15, 16, 17, 100, 999, 1000, 1_000_000, 60_000_000 })
        {
            var upper = RedisLatency.UpperMicros(RedisLatency.Bucket(micros));
            Assert.InRange(upper, micros, Math.Max(micros, micros + micros / 8 + 1));
        }
    }

    [Fact]
    public void percentiles_follow_the_recorded_distribution()
    {
        var latency = new RedisLatency();
        for (var i = 0; i < 980; i++) latency.Record(Ticks(200));     // 0.2 ms
        for (var i = 0; i < 20; i++) latency.Record(Ticks(5000));     // 5 ms tail: 2 %

        var p = latency.Snapshot();

        Assert.Equal(1000, p.Samples);
        Assert.InRange(p.P50Ms, 0.2, 0.225);
        Assert.InRange(p.P95Ms, 0.2, 0.225);
        Assert.InRange(p.P99Ms, 5.0, 5.7);
        Assert.InRange(p.MaxMs, 5.0, 5.7);
    }

    [Fact]
    public async Task concurrent_recording_loses_nothing()
    {
        var latency = new RedisLatency();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => { for (var i = 0; i < 10_000; i++) latency.Record(Ticks(i % 900)); })));
        Assert.Equal(80_000, latency.Snapshot().Samples);
    }

    [Theory]
    [InlineData("ombaro:session:abc", "session")]
    [InlineData("ombaro:otp:cooldown:+919000000001", "otp")]
    [InlineData("ombaro:{geo:therapists}:seen", "geo")]
    [InlineData("ombaro:booking:lock:{v:2025-01-01}:10:00", "booking")]
    [InlineData("ombaro:cache:dashboard:vendor:1", "cache:dashboard")]
    [InlineData("other:key", null)]
    public void keys_are_grouped_by_their_namespace(string key, string? expected) =>
        Assert.Equal(expected, RedisServerReport.NamespaceOf(key));
}
