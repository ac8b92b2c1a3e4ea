namespace Ombaro.Tests.Support;

/// <summary>Vendors of a test's own, made through the API, in an area of their own far from the demo data.</summary>
public static class Catalog
{
    public static readonly object[] EveryDay = Enumerable.Range(0, 7).Select(d => (object)new { weekday = d, opens = "00:00", closes = "23:59" }).ToArray();

    public static object Listing(double lat, double lng, string[]? types = null, string name = "Test Spa", object[]? hours = null,
        string timeZone = "Asia/Kolkata") => new
    {
        name, address = "1 Test Street", city = "Testville", latitude = lat, longitude = lng,
        serviceTypes = types ?? ["massage"], timeZone, openingHours = hours ?? EveryDay,
    };

    /// <summary>A random point on the globe at least ~500 km from Bengaluru and unlikely to be near another test's.</summary>
    public static (double Lat, double Lng) NewArea()
    {
        while (true)
        {
            var (lat, lng) = (Random.Shared.NextDouble() * 120 - 60, Random.Shared.NextDouble() * 340 - 170);
            if (Math.Abs(lat - 12.97) > 5 || Math.Abs(lng - 77.59) > 5) return (lat, lng);
        }
    }

    /// <summary>The point <paramref name="northKm"/> north and <paramref name="eastKm"/> east of another.</summary>
    public static (double Lat, double Lng) Offset((double Lat, double Lng) p, double northKm, double eastKm) =>
        (p.Lat + northKm / 111.2, p.Lng + eastKm / (111.2 * Math.Cos(p.Lat * Math.PI / 180)));

    public static async Task<Guid> CreateVendorAsync(this IAlbaHost host, TestUser owner, object listing)
    {
        var result = await host.Scenario(s => { s.Post.Json(listing).ToUrl("/api/v1/vendors"); s.As(owner); s.StatusCodeShouldBe(201); });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static Task VerifyAsync(this IAlbaHost host, Guid vendorId, TestUser staff) =>
        host.Scenario(s => { s.Post.Url($"/api/v1/vendors/{vendorId}/verify"); s.As(staff); s.StatusCodeShouldBeOk(); });

    /// <summary>A verified vendor (and its owner) at a point.</summary>
    public static async Task<(TestUser Owner, Guid Id)> ListedVendorAsync(this IAlbaHost host, TestUser admin, (double Lat, double Lng) at,
        string[]? types = null, string name = "Test Spa")
    {
        var owner = await host.SignInAsync(Roles.Vendor);
        var id = await host.CreateVendorAsync(owner, Listing(at.Lat, at.Lng, types, name));
        await host.VerifyAsync(id, admin);
        return (owner, id);
    }

    public static async Task<JsonElement> SearchAsync(this IAlbaHost host, string query)
    {
        var result = await host.Scenario(s => { s.Get.Url("/api/v1/vendors/search?" + query); s.StatusCodeShouldBeOk(); });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("vendors");
    }

    public static string Query((double Lat, double Lng) p, string extra = "") =>
        FormattableString.Invariant($"lat={p.Lat}&lng={p.Lng}") + extra;

    public static List<Guid> Ids(this JsonElement vendors) => vendors.EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).ToList();
}
