namespace Ombaro.Tests.Features.Ops;

/// <summary>The ops report's slow log shows the command and the key's namespace, never arguments (mobiles, codes, tokens).</summary>
public sealed class RedisSlowLogTests
{
    [Fact]
    public async Task the_slow_log_shows_command_and_namespace_but_never_a_key_or_an_argument()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        const string mobile = "+919812345678", secret = "secret-code-493817";
        // Its own host: on a Redis of its own, whose slow log the test fills.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url });
        var admin = await host.SignInAsync(Roles.Admin);
        await using (var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true"))
        {
            var server = mux.GetServers().Single();
            await server.ConfigSetAsync("slowlog-log-slower-than", "0");   // only this write is "slow"
            await server.ExecuteAsync("SLOWLOG", "RESET");
            await mux.GetDatabase().StringSetAsync($"ombaro:otp:{mobile}", secret, TimeSpan.FromMinutes(5));
            await server.ConfigSetAsync("slowlog-log-slower-than", "10000000");
        }

        var result = await host.Scenario(s => { s.Get.Url("/api/v1/admin/ops/redis"); s.As(admin); s.StatusCodeShouldBeOk(); });
        var text = await result.ReadAsTextAsync();

        Assert.DoesNotContain(secret, text);
        Assert.DoesNotContain(mobile, text);
        Assert.DoesNotContain(admin.Token, text);
        var state = JsonDocument.Parse(text).RootElement.GetProperty("servers").EnumerateArray()
            .Single(s => s.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "state"));
        Assert.True(state.GetProperty("slowLog").EnumerateArray().Any(
            c => c.GetProperty("command").GetString() == "SETEX" && c.GetProperty("keyNamespace").GetString() == "otp"), state.GetProperty("slowLog").ToString());
    }
}
