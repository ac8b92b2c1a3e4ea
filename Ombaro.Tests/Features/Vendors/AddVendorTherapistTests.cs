using System.Net;
using System.Text.Json;
using Alba;
using Ombaro.Api.Infrastructure.Auth;
using Ombaro.Tests.Support;

namespace Ombaro.Tests.Features.Vendors;

[Collection(ApiCollection.Name)]
public sealed class AddVendorTherapistTests(ApiFixture api)
{
    static string Url(Guid vendor) => $"/api/v1/vendors/{vendor}/therapists";

    [Fact]
    public async Task an_unknown_mobile_becomes_a_new_therapist_on_the_roster_and_is_audited()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        await Roster(owner, vendor.Id);   // cached empty roster: the add must invalidate it
        var mobile = Users.NewMobile();

        var result = await api.Host.Scenario(s => { s.Post.Json(new { mobile, name = "Neha" }).ToUrl(Url(vendor.Id)); s.As(owner); s.StatusCodeShouldBe(HttpStatusCode.Created); });
        var body = await result.ReadAsJsonAsync<JsonElement>();

        var id = body.GetProperty("therapistId").GetGuid();
        Assert.True(body.GetProperty("newUser").GetBoolean());
        Assert.Equal("therapist", await api.Host.ScalarAsync<string>("SELECT role FROM users WHERE id = @id AND mobile = @mobile", new { id, mobile }));
        Assert.Equal("Neha", await api.Host.ScalarAsync<string>("SELECT full_name FROM therapist_profiles WHERE user_id = @id", new { id }));
        Assert.Equal([id], (await Roster(owner, vendor.Id)).Select(t => t.GetProperty("therapistId").GetGuid()));
        Assert.Equal(1, await api.Host.ScalarAsync<int>(
            "SELECT count(*)::int FROM audit_log WHERE actor_id = @actor AND action = 'vendor.therapist.add' AND entity_id = @vendor AND after->>'therapistId' = @id",
            new { actor = owner.Id, vendor = vendor.Id.ToString(), id = id.ToString() }));
    }

    [Fact]
    public async Task an_existing_therapist_is_linked_once_and_a_repeat_answers_200()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var therapist = await api.Host.SignInAsync(Roles.Therapist);

        var first = await api.Host.Scenario(s => { s.Post.Json(new { mobile = therapist.Mobile, name = "x" }).ToUrl(Url(vendor.Id)); s.As(owner); s.StatusCodeShouldBe(HttpStatusCode.Created); });
        await api.Host.Scenario(s => { s.Post.Json(new { mobile = therapist.Mobile, name = "x" }).ToUrl(Url(vendor.Id)); s.As(owner); s.StatusCodeShouldBeOk(); });

        var body = await first.ReadAsJsonAsync<JsonElement>();
        Assert.Equal((therapist.Id, false), (body.GetProperty("therapistId").GetGuid(), body.GetProperty("newUser").GetBoolean()));
        Assert.Equal(1, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM vendor_therapists WHERE therapist_id = @Id", therapist));
    }

    [Fact]
    public async Task a_therapist_of_another_vendor_or_a_mobile_of_another_role_is_a_conflict()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var busy = await api.Host.SignInAsync(Roles.Therapist);
        await api.Host.LinkTherapistAsync((await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor))).Id, busy.Id);
        var customer = await api.Host.SignInAsync(Roles.Customer);

        var elsewhere = await Conflict(owner, vendor.Id, busy.Mobile);
        var customerMobile = await Conflict(owner, vendor.Id, customer.Mobile);

        Assert.Equal("Therapist works elsewhere", elsewhere.GetProperty("title").GetString());
        Assert.Contains("customer account", customerMobile.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task an_admin_may_add_and_another_owner_may_not()
    {
        var vendor = await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor));
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var stranger = await api.Host.SignInAsync(Roles.Vendor);
        await api.Host.Scenario(s => { s.Post.Json(new { mobile = Users.NewMobile(), name = "A" }).ToUrl(Url(vendor.Id)); s.As(admin); s.StatusCodeShouldBe(HttpStatusCode.Created); });
        await api.Host.Scenario(s => { s.Post.Json(new { mobile = Users.NewMobile(), name = "B" }).ToUrl(Url(vendor.Id)); s.As(stranger); s.StatusCodeShouldBe(HttpStatusCode.Forbidden); });
        Assert.Equal(1, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM vendor_therapists WHERE vendor_id = @Id", vendor));
    }

    [Theory]
    [InlineData("9876543210")]        // no country code
    [InlineData("+91 98765 43210")]   // not E.164 form
    [InlineData("+9112345")]          // not a valid number
    [InlineData("")]
    public async Task a_mobile_not_in_e164_is_a_validation_problem(string mobile)
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var result = await api.Host.Scenario(s => { s.Post.Json(new { mobile, name = "N" }).ToUrl(Url(vendor.Id)); s.As(owner); s.StatusCodeShouldBe(HttpStatusCode.BadRequest); });
        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("mobile", out _));
    }

    [Fact]
    public Task only_vendors_and_admins_add_therapists() =>
        api.Host.OnlyAsync(HttpMethod.Post, Url(Guid.NewGuid()), Roles.Vendor, Roles.Admin);

    async Task<JsonElement> Conflict(TestUser owner, Guid vendor, string mobile)
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { mobile, name = "x" }).ToUrl(Url(vendor));
            s.As(owner);
            s.StatusCodeShouldBe(HttpStatusCode.Conflict);
            s.ContentTypeShouldBe("application/problem+json");
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    async Task<List<JsonElement>> Roster(TestUser owner, Guid vendor)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(Url(vendor)); s.As(owner); s.StatusCodeShouldBeOk(); });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("therapists").EnumerateArray().ToList();
    }
}
