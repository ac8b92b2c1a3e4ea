namespace Ombaro.Tests.Features.Bookings;

/// <summary>Every role-restricted route of the area refuses every other role (403) and anonymous callers (401).</summary>
[Collection(ApiCollection.Name)]
public sealed class BookingsAuthorizationTests(ApiFixture api)
{
    static readonly Guid Id = Guid.NewGuid();

    static readonly (string Method, string Url, string[] Allowed)[] Routes =
    [
        ("POST", "/api/v1/bookings/holds", [Roles.Customer]),
        ("DELETE", "/api/v1/bookings/holds/some-token", [Roles.Customer]),
        ("POST", "/api/v1/bookings", [Roles.Customer]),
        ("GET", "/api/v1/bookings", [Roles.Customer, Roles.Therapist, Roles.Vendor, Roles.Admin]),
        ("GET", $"/api/v1/bookings/{Id}", Roles.All.ToArray()),
        ("POST", $"/api/v1/bookings/{Id}/confirm", [Roles.Vendor, Roles.Admin]),
        ("POST", $"/api/v1/bookings/{Id}/assign", [Roles.Vendor, Roles.Admin]),
        ("POST", $"/api/v1/bookings/{Id}/start", [Roles.Therapist]),
        ("POST", $"/api/v1/bookings/{Id}/complete", [Roles.Therapist]),
        ("POST", $"/api/v1/bookings/{Id}/cancel", [Roles.Customer, Roles.Vendor, Roles.Admin]),
        ("POST", $"/api/v1/bookings/{Id}/no-show", [Roles.Vendor, Roles.Admin]),
        ("GET", "/api/v1/therapists/me/assignments", [Roles.Therapist]),
        ("GET", "/api/v1/vendor/bookings", [Roles.Vendor]),
        ("GET", $"/api/v1/vendors/{Id}/availability?date=2030-01-01&serviceId={Id}", Roles.All.ToArray()),
    ];

    public static TheoryData<string, string, string> Refused()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, url, allowed) in Routes)
        {
            data.Add(method, url, "anonymous");
            foreach (var role in Roles.All.Except(allowed)) data.Add(method, url, role);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task other_roles_and_anonymous_callers_are_refused(string method, string url, string role)
    {
        var user = role == "anonymous" ? null : await api.Host.SignInAsync(role);
        await api.Host.Scenario(s =>
        {
            if (method == "GET") s.Get.Url(url);
            else if (method == "DELETE") s.Delete.Url(url);
            else s.Post.Json(new { }).ToUrl(url);
            if (user is not null) s.As(user);
            s.StatusCodeShouldBe(user is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
        });
    }

    [Fact]
    public async Task a_booking_is_visible_to_its_customer_vendor_therapist_and_admins_only()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var other = await BookingWorld.CreateAsync(api.Host);
        var id = await world.InsertBookingAsync("assigned", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);

        foreach (var allowed in new[] { world.Customer, world.Owner, world.Therapist, admin })
            Assert.Equal(id, (await (await world.Client(allowed).GetAsync($"/api/v1/bookings/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetGuid());
        foreach (var stranger in new[] { other.Customer, other.Owner, other.Therapist, employee })
            await (await world.Client(stranger).GetAsync($"/api/v1/bookings/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task steps_on_someone_elses_booking_are_404_and_change_nothing()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var other = await BookingWorld.CreateAsync(api.Host);
        var pending = await world.InsertBookingAsync("pending", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);
        var assigned = await world.InsertBookingAsync("assigned", TimeProvider.System.GetUtcNow().AddDays(2), world.Therapist.Id);

        await (await world.PostAsync(other.Owner, $"/api/v1/bookings/{pending}/confirm")).ProblemAsync(HttpStatusCode.NotFound);
        await (await world.PostAsync(other.Customer, $"/api/v1/bookings/{pending}/cancel", new { reason = "not mine" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await world.PostAsync(other.Therapist, $"/api/v1/bookings/{assigned}/start")).ProblemAsync(HttpStatusCode.NotFound);
        await (await world.PostAsync(other.Owner, $"/api/v1/bookings/{assigned}/assign", new { therapistId = other.Therapist.Id })).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("pending", await world.QueryAsync<string>("SELECT status FROM bookings WHERE id = @pending", new { pending }));
        Assert.Equal("assigned", await world.QueryAsync<string>("SELECT status FROM bookings WHERE id = @assigned", new { assigned }));
    }
}
