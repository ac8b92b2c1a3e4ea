namespace Ombaro.Tests.Features.Employee;

[Collection(ApiCollection.Name)]
public sealed class ListTerritoryVendorsTests(ApiFixture api)
{
    const string Url = "/api/v1/employee/vendors";

    [Fact]
    public async Task an_employee_sees_exactly_the_vendors_of_their_territory()
    {
        var (city, elsewhere) = (DeskData.NewCity(), DeskData.NewCity());
        var owner = await api.Host.UserAsync(Roles.Vendor);
        var mine = new[] { (await api.Host.VendorAsync(owner, city)).Id, (await api.Host.VendorAsync(owner, city)).Id };
        await api.Host.VendorAsync(owner, elsewhere);
        var employee = await api.Host.EmployeeInAsync(city.ToUpperInvariant());   // cities compare case-insensitively

        var body = await Read(employee);

        var ids = body.GetProperty("vendors").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).Order().ToList();
        Assert.Equal(mine.Order(), ids);
        var sql = await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM vendors WHERE lower(city) = lower(@city)", new { city });
        Assert.Equal(sql, ids.Count);
    }

    [Fact]
    public async Task an_employee_without_a_territory_sees_no_vendors()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var body = await Read(employee);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("territory").ValueKind);
        Assert.Empty(body.GetProperty("vendors").EnumerateArray());
    }

    [Fact]
    public Task only_employees_list_territory_vendors() => api.Host.OnlyAsync(HttpMethod.Get, Url, Roles.Employee);

    async Task<JsonElement> Read(TestUser employee)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(Url); s.As(employee); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
