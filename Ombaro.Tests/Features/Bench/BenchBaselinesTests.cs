using Ombaro.Api.Features.Bench;

namespace Ombaro.Tests.Features.Bench;

[Collection(ApiCollection.Name)]
public sealed class BenchBaselinesTests(ApiFixture api)
{
    [Theory]
    [InlineData("/bench/bare")]
    [InlineData("/bench/redis")]
    [InlineData("/bench/postgres/00000000-0000-0000-0000-000000000001")]
    public async Task the_baselines_do_not_exist_unless_enabled(string url) =>
        await api.Host.Scenario(s => { s.Get.Url(url); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });

    [Fact]
    public async Task when_enabled_they_answer_a_constant_and_read_one_redis_key_and_one_postgres_row()
    {
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { [BenchBaselines.Setting] = "true" });
        var bare = await host.Scenario(s => { s.Get.Url("/bench/bare"); s.StatusCodeShouldBeOk(); });
        Assert.Equal("""{"status":"ok"}""", await bare.ReadAsTextAsync());
        await host.Services.GetRequiredService<RedisConnections>().CacheDb.StringSetAsync(BenchBaselines.Key, "baseline", TimeSpan.FromMinutes(1));

        var redis = await host.Scenario(s => { s.Get.Url("/bench/redis"); s.StatusCodeShouldBeOk(); });
        Assert.Equal("\"baseline\"", await redis.ReadAsTextAsync());
        await host.Scenario(s => { s.Get.Url($"/bench/postgres/{Guid.NewGuid()}"); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });
    }
}
