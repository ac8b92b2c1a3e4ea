using Ombaro.Api.Features.Ops;

namespace Ombaro.Tests.Features.Ops;

/// <summary><c>RedisServerReport</c> on a Redis Cluster of its own (one entry per master).</summary>
public sealed class RedisServerReportTests
{
    [Fact]
    public async Task on_a_cluster_the_report_has_one_entry_per_master_and_none_for_replicas()
    {
        await using var cluster = await RedisClusterProcess.StartAsync(masters: 3, replicasPerMaster: 1);
        var endpoint = RedisEndpoint.Parse(cluster.Url, "REDIS_URL");
        await using var mux = await ConnectionMultiplexer.ConnectAsync(endpoint.ToOptions("t"));
        await mux.GetDatabase().StringSetAsync("ombaro:x", "1", TimeSpan.FromMinutes(1));

        var servers = await RedisServerReport.ReadAsync([RedisRole.State], endpoint.ToString(), mux, 0, CancellationToken.None);

        var masters = await cluster.MastersAsync();
        Assert.Equal(3, masters.Count);
        Assert.Equal(masters.Select(p => $"127.0.0.1:{p}").Order(), servers.Select(s => s.Endpoint).Order());
        Assert.All(servers, s => Assert.True(s.Reachable, s.Error));
        Assert.Equal(1, servers.Sum(s => s.Keys!.DatabaseSize));   // the one key lives on one master
    }
}
