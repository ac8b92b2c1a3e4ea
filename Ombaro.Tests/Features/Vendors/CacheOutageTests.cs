namespace Ombaro.Tests.Features.Vendors;

[Collection(ApiCollection.Name)]
public sealed class CacheOutageTests(ApiFixture api)
{
    [Fact]
    public async Task with_the_cache_redis_dead_profile_vendor_detail_and_search_answer_from_postgres_and_ready_names_it()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var (_, id) = await api.Host.ListedVendorAsync(admin, area, ["ayurveda"], "Outage Spa");
        await using var cache = await RedisServerProcess.StartAsync();
        await cache.StopAsync();
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_CACHE_URL"] = cache.Url });
        var customer = await host.SignInAsync(Roles.Customer, "Cached Nowhere");

        var profile = await host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(customer); s.StatusCodeShouldBeOk(); });
        Assert.Equal("Cached Nowhere", (await profile.ReadAsJsonAsync<JsonElement>()).GetProperty("fullName").GetString());
        var detail = await host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBeOk(); });
        Assert.Equal("Outage Spa", (await detail.ReadAsJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal([id], (await host.SearchAsync(Catalog.Query(area, "&type=ayurveda"))).Ids());

        var ready = await host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBe(HttpStatusCode.ServiceUnavailable); });
        Assert.Equal(["redis-cache"], (await ready.ReadAsJsonAsync<JsonElement>()).GetProperty("failed").EnumerateArray().Select(f => f.GetString()));
    }
}
