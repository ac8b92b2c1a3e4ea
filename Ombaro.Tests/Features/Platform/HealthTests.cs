namespace Ombaro.Tests.Features.Platform;

[Collection(ApiCollection.Name)]
public sealed class HealthTests(ApiFixture api)
{
    [Fact]
    public async Task live_and_ready_answer_200_when_everything_is_up()
    {
        await api.Host.Scenario(s => { s.Get.Url("/health/live"); s.StatusCodeShouldBeOk(); });
        var ready = await api.Host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBeOk(); });
        var body = await ready.ReadAsJsonAsync<JsonElement>();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal(["redis-state", "redis-cache", "postgres"],
            body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task ready_names_redis_while_it_is_down_and_recovers_without_a_restart()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        // Its own host: on a Redis of its own, which the test stops.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redis.Url,
            ["REDIS_CACHE_URL"] = TestEnvironment.RedisCacheUrl,
        });
        await host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBeOk(); });

        await redis.StopAsync();
        var down = await host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(HttpStatusCode.ServiceUnavailable);
            s.ContentTypeShouldBe("application/problem+json");
        });
        var problem = await down.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(["redis-state"], problem.GetProperty("failed").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("redis-state", problem.GetProperty("detail").GetString());

        await redis.RestartAsync();
        await RedisServerProcess.WaitUntil(async () =>
            (await host.Server.CreateClient().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task an_unknown_route_is_a_problem_document()
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Get.Url("/api/v1/does-not-exist");
            s.StatusCodeShouldBe(HttpStatusCode.NotFound);
            s.ContentTypeShouldBe("application/problem+json");
        });
        Assert.Equal(404, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task the_openapi_document_is_served()
    {
        var result = await api.Host.Scenario(s => { s.Get.Url("/openapi/v1.json"); s.StatusCodeShouldBeOk(); });
        var doc = await result.ReadAsJsonAsync<JsonElement>();
        Assert.True(doc.GetProperty("paths").TryGetProperty("/health/ready", out _));
    }
}
