namespace Ombaro.Tests.Features.Vendors;

[Collection(ApiCollection.Name)]
public sealed class ListVendorTherapistsTests(ApiFixture api)
{
    [Fact]
    public async Task the_roster_marks_therapists_live_when_the_location_set_saw_them_in_the_last_five_minutes()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var (live, stale, never) = (await api.Host.UserAsync(Roles.Therapist), await api.Host.UserAsync(Roles.Therapist), await api.Host.UserAsync(Roles.Therapist));
        foreach (var t in new[] { live, stale, never }) await api.Host.LinkTherapistAsync(vendor.Id, t);
        var now = api.Host.Now();
        await api.Redis.SortedSetAddAsync(RedisKeys.GeoTherapistsSeen,
        [
            new SortedSetEntry(live.ToString(), now.AddSeconds(-20).ToUnixTimeMilliseconds()),
            new SortedSetEntry(stale.ToString(), now.AddMinutes(-10).ToUnixTimeMilliseconds()),
        ]);
        try
        {
            var result = await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{vendor.Id}/therapists"); s.As(owner); s.StatusCodeShouldBeOk(); });
            var body = await result.ReadAsJsonAsync<JsonElement>();

            var byId = body.GetProperty("therapists").EnumerateArray().ToDictionary(t => t.GetProperty("therapistId").GetGuid(), t => t.GetProperty("live").GetBoolean());
            Assert.Equal(new Dictionary<Guid, bool> { [live] = true, [stale] = false, [never] = false }, byId);
            Assert.Equal(1, body.GetProperty("live").GetInt32());
        }
        finally
        {
            await api.Redis.SortedSetRemoveAsync(RedisKeys.GeoTherapistsSeen, [live.ToString(), stale.ToString()]);
        }
    }

    [Fact]
    public async Task an_admin_sees_any_roster_and_another_vendor_owner_gets_403()
    {
        var vendor = await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor));
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var stranger = await api.Host.SignInAsync(Roles.Vendor);
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{vendor.Id}/therapists"); s.As(admin); s.StatusCodeShouldBeOk(); });
        var denied = await api.Host.Scenario(s =>
        {
            s.Get.Url($"/api/v1/vendors/{vendor.Id}/therapists");
            s.As(stranger);
            s.StatusCodeShouldBe(HttpStatusCode.Forbidden);
            s.ContentTypeShouldBe("application/problem+json");
        });
        Assert.Contains("owner", (await denied.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{Guid.NewGuid()}/therapists"); s.As(admin); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });
    }

    [Fact]
    public Task only_vendors_and_admins_see_rosters() =>
        api.Host.OnlyAsync(HttpMethod.Get, $"/api/v1/vendors/{Guid.NewGuid()}/therapists", Roles.Vendor, Roles.Admin);
}
