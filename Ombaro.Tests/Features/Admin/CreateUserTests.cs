namespace Ombaro.Tests.Features.Admin;

/// <summary>POST /api/v1/admin/users: provisioning, its audit, and the mobiles and roles it refuses.</summary>
[Collection(ApiCollection.Name)]
public sealed class CreateUserTests(ApiFixture api)
{
    [Fact]
    public async Task an_admin_provisions_a_vendor_who_then_signs_in_as_vendor()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var mobile = OtpLogin.NewMobile();

        var created = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { mobile, role = "vendor", name = "Spa Owner" }).ToUrl("/api/v1/admin/users");
            s.As(admin);
            s.StatusCodeShouldBe(201);
        });
        var body = await created.ReadAsJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/admin/users/{id}", created.Context.Response.Headers.Location.ToString());

        var login = await api.Host.LoginAsync(mobile);
        Assert.Equal((id, "vendor", false), (login.GetProperty("user").GetProperty("id").GetGuid(),
            login.GetProperty("user").GetProperty("role").GetString(), login.GetProperty("user").GetProperty("isNew").GetBoolean()));

        var audit = await UserAudit.OfAsync(api.Services, id);
        var row = Assert.Single(audit);
        Assert.Equal(("user.create", admin.Id), (row.Action, row.ActorId));
        Assert.Null(row.Before);
        Assert.Contains("\"vendor\"", row.After);
    }

    [Fact]
    public async Task provisioning_a_registered_mobile_is_409_and_a_customer_role_is_400()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var existing = await api.Host.SignInAsync(Roles.Customer);

        var conflict = await api.Host.Scenario(s => { s.Post.Json(new { mobile = existing.Mobile, role = "employee" }).ToUrl("/api/v1/admin/users"); s.As(admin); s.StatusCodeShouldBe(409); });
        Assert.Equal("Mobile already registered", (await conflict.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());

        var invalid = await api.Host.Scenario(s => { s.Post.Json(new { mobile = OtpLogin.NewMobile(), role = "customer" }).ToUrl("/api/v1/admin/users"); s.As(admin); s.StatusCodeShouldBe(400); });
        Assert.True((await invalid.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("role", out _));
    }
}
