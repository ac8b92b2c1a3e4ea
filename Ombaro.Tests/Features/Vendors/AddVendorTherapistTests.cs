namespace Ombaro.Tests.Features.Vendors;

/// <summary>A vendor invites a therapist; the therapist accepts after signing in. Nobody is linked or created silently.</summary>
[Collection(ApiCollection.Name)]
public sealed class AddVendorTherapistTests(ApiFixture api)
{
    static string Url(Guid vendor) => $"/api/v1/vendors/{vendor}/therapists";
    const string Mine = "/api/v1/therapists/me/invitations";

    [Fact]
    public async Task the_answer_is_the_same_whatever_the_mobile_and_nothing_is_linked_or_created()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var busy = await api.Host.SignInAsync(Roles.Therapist);
        await api.Host.LinkTherapistAsync((await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor))).Id, busy.Id);
        var mobiles = new[]
        {
            Users.NewMobile(), (await api.Host.SignInAsync(Roles.Therapist)).Mobile, busy.Mobile,
            (await api.Host.SignInAsync(Roles.Customer)).Mobile, (await api.Host.SignInAsync(Roles.Admin)).Mobile,
        };

        var shapes = new List<string>();
        foreach (var mobile in mobiles)
        {
            var result = await Invite(owner, vendor.Id, mobile);
            shapes.Add(string.Join(",", (await result.ReadAsJsonAsync<JsonElement>()).EnumerateObject().Select(p => p.Name + ":" + p.Value.ValueKind)));
        }

        Assert.Single(shapes.Distinct());
        Assert.Equal(0, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM users WHERE mobile = @m", new { m = mobiles[0] }));
        Assert.Equal(0, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM vendor_therapists WHERE vendor_id = @Id", vendor));
        Assert.Equal(5, await api.Host.ScalarAsync<int>(
            "SELECT count(*)::int FROM audit_log WHERE actor_id = @actor AND action = 'vendor.therapist.invite' AND entity_id = @vendor",
            new { actor = owner.Id, vendor = vendor.Id.ToString() }));
    }

    [Fact]
    public async Task an_invited_therapist_sees_and_accepts_the_invitation_and_joins_the_roster()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        await Roster(owner, vendor.Id);   // cached empty roster: the acceptance must invalidate it
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var invitation = await (await Invite(owner, vendor.Id, therapist.Mobile)).ReadAsJsonAsync<JsonElement>();
        Assert.InRange(invitation.GetProperty("expiresAt").GetDateTimeOffset() - api.Host.Now(), TimeSpan.FromDays(6.9), TimeSpan.FromDays(7.1));

        var pending = (await Json(therapist, Mine)).GetProperty("invitations").EnumerateArray().ToList();
        var id = Assert.Single(pending).GetProperty("id").GetGuid();
        Assert.Equal(invitation.GetProperty("invitationId").GetGuid(), id);
        var accepted = await api.Host.Scenario(s => { s.Post.Url($"{Mine}/{id}/accept"); s.As(therapist); s.StatusCodeShouldBeOk(); });

        Assert.Equal(JsonValueKind.Null, (await accepted.ReadAsJsonAsync<JsonElement>()).GetProperty("token").ValueKind);
        Assert.Equal([therapist.Id], (await Roster(owner, vendor.Id)).Select(t => t.GetProperty("therapistId").GetGuid()));
        Assert.Empty((await Json(therapist, Mine)).GetProperty("invitations").EnumerateArray());
        await api.Host.Scenario(s => { s.Post.Url($"{Mine}/{id}/accept"); s.As(therapist); s.StatusCodeShouldBe(404); });   // used
    }

    [Fact]
    public async Task a_new_mobile_signs_in_accepts_and_becomes_a_therapist_with_a_new_token()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var mobile = OtpLogin.NewMobile();
        await Invite(owner, vendor.Id, mobile, "Neha");
        var login = await api.Host.LoginAsync(mobile);
        var customer = new TestUser(login.GetProperty("user").GetProperty("id").GetGuid(), mobile, Roles.Customer, login.GetProperty("token").GetString()!);

        var id = (await Json(customer, Mine)).GetProperty("invitations")[0].GetProperty("id").GetGuid();
        var accepted = await (await api.Host.Scenario(s => { s.Post.Url($"{Mine}/{id}/accept"); s.As(customer); s.StatusCodeShouldBeOk(); }))
            .ReadAsJsonAsync<JsonElement>();

        var therapist = customer with { Role = Roles.Therapist, Token = accepted.GetProperty("token").GetString()! };
        Assert.Equal("therapist", (await Json(therapist, "/api/v1/auth/me")).GetProperty("role").GetString());
        await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(customer); s.StatusCodeShouldBe(401); });   // the customer session is gone
        Assert.Equal("Neha", await api.Host.ScalarAsync<string>("SELECT full_name FROM therapist_profiles WHERE user_id = @Id", customer));
        Assert.Equal([customer.Id], (await Roster(owner, vendor.Id)).Select(t => t.GetProperty("therapistId").GetGuid()));
    }

    [Fact]
    public async Task an_expired_invitation_or_one_for_another_mobile_cannot_be_seen_or_accepted()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var other = await api.Host.SignInAsync(Roles.Therapist);
        var id = (await (await Invite(owner, vendor.Id, therapist.Mobile)).ReadAsJsonAsync<JsonElement>()).GetProperty("invitationId").GetGuid();

        Assert.Empty((await Json(other, Mine)).GetProperty("invitations").EnumerateArray());
        await api.Host.Scenario(s => { s.Post.Url($"{Mine}/{id}/accept"); s.As(other); s.StatusCodeShouldBe(404); });

        await api.Host.ScalarAsync<int>("UPDATE therapist_invitations SET expires_at = now() - interval '1 second' WHERE id = @id RETURNING 1", new { id });
        Assert.Empty((await Json(therapist, Mine)).GetProperty("invitations").EnumerateArray());
        await api.Host.Scenario(s => { s.Post.Url($"{Mine}/{id}/accept"); s.As(therapist); s.StatusCodeShouldBe(404); });
        Assert.Equal(0, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM vendor_therapists WHERE vendor_id = @Id", vendor));
    }

    [Fact]
    public async Task a_therapist_on_another_roster_must_leave_it_before_accepting()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var busy = await api.Host.SignInAsync(Roles.Therapist);
        await api.Host.LinkTherapistAsync((await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor))).Id, busy.Id);
        var id = (await (await Invite(owner, vendor.Id, busy.Mobile)).ReadAsJsonAsync<JsonElement>()).GetProperty("invitationId").GetGuid();

        var conflict = await api.Host.Scenario(s => { s.Post.Url($"{Mine}/{id}/accept"); s.As(busy); s.StatusCodeShouldBe(409); });
        Assert.Equal("You work elsewhere", (await conflict.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task an_admin_may_invite_and_another_owner_may_not()
    {
        var vendor = await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor));
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var stranger = await api.Host.SignInAsync(Roles.Vendor);
        await Invite(admin, vendor.Id, Users.NewMobile());
        await api.Host.Scenario(s => { s.Post.Json(new { mobile = Users.NewMobile(), name = "B" }).ToUrl(Url(vendor.Id)); s.As(stranger); s.StatusCodeShouldBe(HttpStatusCode.Forbidden); });
        Assert.Equal(1, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM therapist_invitations WHERE vendor_id = @Id", vendor));
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
    public Task only_vendors_and_admins_invite_therapists() =>
        api.Host.OnlyAsync(HttpMethod.Post, Url(Guid.NewGuid()), Roles.Vendor, Roles.Admin);

    [Fact]
    public Task only_therapists_and_customers_have_invitations() =>
        api.Host.OnlyAsync(HttpMethod.Get, Mine, Roles.Therapist, Roles.Customer);

    Task<IScenarioResult> Invite(TestUser by, Guid vendor, string mobile, string name = "x") => api.Host.Scenario(s =>
    {
        s.Post.Json(new { mobile, name }).ToUrl(Url(vendor));
        s.As(by);
        s.StatusCodeShouldBe(HttpStatusCode.Accepted);
    });

    async Task<JsonElement> Json(TestUser user, string url) =>
        await (await api.Host.Scenario(s => { s.Get.Url(url); s.As(user); s.StatusCodeShouldBeOk(); })).ReadAsJsonAsync<JsonElement>();

    async Task<List<JsonElement>> Roster(TestUser owner, Guid vendor) =>
        (await Json(owner, Url(vendor))).GetProperty("therapists").EnumerateArray().ToList();
}
