namespace Ombaro.Tests.Features.Vendors;

/// <summary>
/// Each write to a vendor's listing is visible on the next read of every route that caches it
/// (<see cref="Ombaro.Api.Features.Vendors.VendorCaches"/>): the vendor detail, search, and the employee's territory list,
/// each read (and so cached) before the write. The roster write: <see cref="AddVendorTherapistTests"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class VendorCachesTests(ApiFixture api)
{
    [Fact]
    public async Task a_rename_a_new_service_and_a_deactivation_show_on_detail_search_and_the_territory_list()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var city = DeskData.NewCity();
        await api.Host.Scenario(s => { s.Put.Json(new { territory = city }).ToUrl($"/api/v1/admin/employees/{employee.Id}/territory"); s.As(admin); s.StatusCodeShouldBeOk(); });
        var area = Catalog.NewArea();
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var id = await api.Host.CreateVendorAsync(owner, Listing(area, city, "Spa One"));
        await api.Host.VerifyAsync(id, admin);

        async Task<(string Detail, string? Searched, string Territory, int Services)> Read()
        {
            var detail = await Json(admin, $"/api/v1/vendors/{id}");
            var found = (await api.Host.SearchAsync(Catalog.Query(area))).EnumerateArray().Where(v => v.GetProperty("id").GetGuid() == id).ToList();
            var listed = Assert.Single((await Json(employee, "/api/v1/employee/vendors")).GetProperty("vendors").EnumerateArray());
            return ($"{detail.GetProperty("name").GetString()}/{detail.GetProperty("status").GetString()}",
                found.Count == 0 ? null : found[0].GetProperty("name").GetString(),
                $"{listed.GetProperty("name").GetString()}/{listed.GetProperty("status").GetString()}",
                detail.GetProperty("services").GetArrayLength());
        }

        Assert.Equal(("Spa One/active", "Spa One", "Spa One/active", 0), await Read());

        await api.Host.Scenario(s => { s.Put.Json(Listing(area, city, "Spa Two")).ToUrl($"/api/v1/vendors/{id}"); s.As(admin); s.StatusCodeShouldBeOk(); });
        Assert.Equal(("Spa Two/active", "Spa Two", "Spa Two/active", 0), await Read());

        await api.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "Deep tissue 60", serviceType = "massage", price = 1999.00, durationMinutes = 60 }).ToUrl($"/api/v1/vendors/{id}/services");
            s.As(owner); s.StatusCodeShouldBe(201);
        });
        Assert.Equal(("Spa Two/active", "Spa Two", "Spa Two/active", 1), await Read());

        await api.Host.Scenario(s => { s.Post.Json(new { reason = "closed" }).ToUrl($"/api/v1/vendors/{id}/deactivate"); s.As(admin); s.StatusCodeShouldBeOk(); });
        Assert.Equal(("Spa Two/inactive", null, "Spa Two/inactive", 1), await Read());

        await api.Host.VerifyAsync(id, employee);
        Assert.Equal(("Spa Two/active", "Spa Two", "Spa Two/active", 1), await Read());
    }

    static object Listing((double Lat, double Lng) at, string city, string name) => new
    {
        name, address = "1 Test Street", city, latitude = at.Lat, longitude = at.Lng,
        serviceTypes = new[] { "massage" }, timeZone = "Asia/Kolkata", openingHours = Catalog.EveryDay,
    };

    async Task<JsonElement> Json(TestUser user, string url)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(url); s.As(user); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
