namespace Ombaro.Tests.Features.Employee;

[Collection(ApiCollection.Name)]
public sealed class RecordVisitTests(ApiFixture api)
{
    const string Url = "/api/v1/employee/visits";

    [Fact]
    public async Task a_visit_needs_an_open_check_in_and_a_vendor_of_the_territory()
    {
        var city = DeskData.NewCity();
        var owner = await api.Host.UserAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner, city);
        var foreign = await api.Host.VendorAsync(owner);
        var employee = await api.Host.EmployeeInAsync(city);

        var notCheckedIn = await Visit(employee, vendor.Id, HttpStatusCode.Conflict);
        await EmployeeDesk.CheckIn(api.Host, employee, HttpStatusCode.Created, 12.9, 77.6);
        var outside = await Visit(employee, foreign.Id, HttpStatusCode.NotFound);
        var recorded = await Visit(employee, vendor.Id, HttpStatusCode.Created);

        Assert.Equal("Not checked in", notCheckedIn.GetProperty("title").GetString());
        Assert.Contains("territory", outside.GetProperty("detail").GetString());
        Assert.Equal(1, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM vendor_visits WHERE employee_id = @id AND vendor_id = @vendor",
            new { id = employee.Id, vendor = vendor.Id }));
        Assert.Equal(vendor.Id, recorded.GetProperty("vendorId").GetGuid());
    }

    [Fact]
    public Task only_employees_record_visits() => api.Host.OnlyAsync(HttpMethod.Post, Url, Roles.Employee);

    async Task<JsonElement> Visit(TestUser employee, Guid vendorId, HttpStatusCode expected)
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { vendorId, latitude = 12.9, longitude = 77.6, notes = "met the manager" }).ToUrl(Url);
            s.As(employee);
            s.StatusCodeShouldBe(expected);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
