namespace Ombaro.Tests.Features.Bookings;

/// <summary>
/// The lifecycle every step route shares (<c>BookingWorkflow</c>): each step from every status, concurrent steps, the audit.
/// What one step alone decides is in its slice's tests (CancelBookingTests, MarkNoShowTests, AssignBookingTests).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BookingWorkflowTests(ApiFixture api)
{
    static readonly string[] Statuses = ["pending", "confirmed", "assigned", "in_progress", "completed", "cancelled", "no_show"];

    /// <summary>Step (as who) → the statuses it is legal from, and the status it leads to.</summary>
    static readonly Dictionary<string, (string[] From, string To)> Legal = new()
    {
        ["confirm"] = (["pending"], "confirmed"),
        ["assign"] = (["confirmed", "assigned"], "assigned"),
        ["start"] = (["assigned"], "in_progress"),
        ["complete"] = (["in_progress"], "completed"),
        ["cancel-by-vendor"] = (["pending", "confirmed", "assigned", "in_progress"], "cancelled"),
        ["cancel-by-customer"] = (["pending", "confirmed", "assigned"], "cancelled"),
        ["no-show"] = (["confirmed", "assigned"], "no_show"),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var step in Legal.Keys) foreach (var status in Statuses) data.Add(step, status);
        return data;
    }

    static (TestUser Actor, string Url, object? Body) Request(BookingWorld w, string step, Guid id) => step switch
    {
        "confirm" => (w.Owner, $"/api/v1/bookings/{id}/confirm", null),
        "assign" => (w.Owner, $"/api/v1/bookings/{id}/assign", new { therapistId = w.Therapist.Id }),
        "start" => (w.Therapist, $"/api/v1/bookings/{id}/start", null),
        "complete" => (w.Therapist, $"/api/v1/bookings/{id}/complete", null),
        "cancel-by-vendor" => (w.Owner, $"/api/v1/bookings/{id}/cancel", new { reason = "therapist ill" }),
        "cancel-by-customer" => (w.Customer, $"/api/v1/bookings/{id}/cancel", new { reason = "plans changed" }),
        "no-show" => (w.Owner, $"/api/v1/bookings/{id}/no-show", null),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task each_step_succeeds_exactly_from_its_legal_statuses(string step, string status)
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        // A no-show is only possible once the start time passed, a start from 30 minutes before; everything else a day ahead.
        var now = TimeProvider.System.GetUtcNow();
        var startsAt = step switch { "no-show" => now.AddHours(-2), "start" => now.AddMinutes(10), _ => now.AddDays(1) };
        var id = await world.InsertBookingAsync(status, startsAt, world.Therapist.Id);
        var (actor, url, body) = Request(world, step, id);

        var response = await world.PostAsync(actor, url, body);

        if (Legal[step].From.Contains(status))
        {
            var booking = await response.JsonAsync(HttpStatusCode.OK);
            Assert.Equal(Legal[step].To, booking.GetProperty("status").GetString());
            Assert.Equal(Legal[step].To, await world.QueryAsync<string>("SELECT status FROM bookings WHERE id = @id", new { id }));
        }
        else
        {
            var problem = await response.ProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("Illegal transition", problem.GetProperty("title").GetString());
            Assert.Equal(status, problem.GetProperty("currentStatus").GetString());
            Assert.EndsWith($"that is {status}.", problem.GetProperty("detail").GetString());
            Assert.Equal(status, await world.QueryAsync<string>("SELECT status FROM bookings WHERE id = @id", new { id }));
        }
    }

    [Fact]
    public async Task of_ten_concurrent_confirms_exactly_one_succeeds()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var id = await world.InsertBookingAsync("pending", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/confirm")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            Assert.Equal("confirmed", (await r.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("currentStatus").GetString());
        Assert.Equal(1, await world.QueryAsync<long>("SELECT count(*) FROM audit_log WHERE entity_id = @id AND action = 'booking.confirm'", new { id = id.ToString() }));
    }

    [Fact]
    public async Task a_concurrent_start_and_cancel_cannot_both_succeed()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var id = await world.InsertBookingAsync("assigned", TimeProvider.System.GetUtcNow().AddMinutes(10), world.Therapist.Id);

        var responses = await Task.WhenAll(
            Enumerable.Range(0, 5).SelectMany(_ => new[]
            {
                world.PostAsync(world.Therapist, $"/api/v1/bookings/{id}/start"),
                // The customer, not the vendor: a vendor may still cancel after the start, so both could succeed in turn.
                world.PostAsync(world.Customer, $"/api/v1/bookings/{id}/cancel", new { reason = "double" }),
            }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await world.QueryAsync<long>("SELECT count(*) FROM audit_log WHERE entity_id = @id", new { id = id.ToString() }));
    }

    [Fact]
    public async Task every_step_is_audited_with_actor_role_and_statuses()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var id = await world.InsertBookingAsync("pending", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);

        await (await world.PostAsync(admin, $"/api/v1/bookings/{id}/confirm")).JsonAsync(HttpStatusCode.OK);   // admins may act for vendors
        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/assign", new { therapistId = world.Therapist.Id })).JsonAsync(HttpStatusCode.OK);

        await using var conn = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Npgsql.NpgsqlDataSource>(api.Services).OpenConnectionAsync();
        var rows = (await Dapper.SqlMapper.QueryAsync<(Guid Actor, string Role, string Action, string Before, string After)>(conn,
            "SELECT actor_id, actor_role, action, before::text, after::text FROM audit_log WHERE entity = 'booking' AND entity_id = @id ORDER BY id",
            new { id = id.ToString() })).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal((admin.Id, "admin", "booking.confirm"), (rows[0].Actor, rows[0].Role, rows[0].Action));
        Assert.Equal("pending", JsonDocument.Parse(rows[0].Before).RootElement.GetProperty("status").GetString());
        Assert.Equal("confirmed", JsonDocument.Parse(rows[0].After).RootElement.GetProperty("status").GetString());
        Assert.Equal((world.Owner.Id, "vendor", "booking.assign"), (rows[1].Actor, rows[1].Role, rows[1].Action));
        Assert.Equal(world.Therapist.Id.ToString(), JsonDocument.Parse(rows[1].After).RootElement.GetProperty("therapistId").GetString());
    }
}
