namespace Ombaro.Tests.Features.Profiles;

/// <summary>
/// Writes stamp the application clock (<see cref="TimeProvider"/>), not the database's <c>now()</c>: on a host whose clock
/// stands still in 2033, every <c>updated_at</c> a write sets is that instant.
/// </summary>
[Collection(FixedClockCollection.Name)]
public sealed class ApplicationClockTests(FixedClockHost fixedClock)
{
    IAlbaHost Host => fixedClock.Host;

    [Fact]
    public async Task a_profile_edit_a_territory_and_a_role_change_are_stamped_with_the_application_clock()
    {
        var admin = await Host.SignInAsync(Roles.Admin);
        var employee = await Host.SignInAsync(Roles.Employee);
        await Host.Scenario(s => { s.Put.Json(new { fullName = "Clock Reader" }).ToUrl("/api/v1/profile"); s.As(employee); s.StatusCodeShouldBeOk(); });
        Assert.Equal(FixedClockHost.Now, await Stamp("SELECT updated_at FROM users WHERE id = @Id", employee));
        Assert.Equal(FixedClockHost.Now, await Stamp("SELECT updated_at FROM employee_profiles WHERE user_id = @Id", employee));

        await Host.Scenario(s => { s.Put.Json(new { territory = "Mysuru" }).ToUrl($"/api/v1/admin/employees/{employee.Id}/territory"); s.As(admin); s.StatusCodeShouldBeOk(); });
        Assert.Equal(FixedClockHost.Now, await Stamp("SELECT updated_at FROM employee_profiles WHERE user_id = @Id", employee));

        await Host.ScalarAsync<int>("UPDATE users SET updated_at = '2000-01-01Z' WHERE id = @Id RETURNING 1", employee);
        await Host.Scenario(s => { s.Patch.Json(new { status = "suspended" }).ToUrl($"/api/v1/admin/users/{employee.Id}"); s.As(admin); s.StatusCodeShouldBeOk(); });
        Assert.Equal(FixedClockHost.Now, await Stamp("SELECT updated_at FROM users WHERE id = @Id", employee));
    }

    async Task<DateTimeOffset> Stamp(string sql, TestUser user) =>
        new(DateTime.SpecifyKind(await Host.ScalarAsync<DateTime>(sql, user), DateTimeKind.Utc));
}
