using Ombaro.Api.Features.Bookings;
using Ombaro.Api.Features.Bookings.Dispatch;
using Xunit.Abstractions;

namespace Ombaro.Tests.Features.Bookings;

/// <summary>
/// Capacity is a PostgreSQL guarantee: however many customers race, on however many API hosts, a vendor never has more live
/// bookings at one time than therapists, and every live booking names the therapist whose time it takes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CapacityTests(ApiFixture api, ITestOutputHelper output)
{
    static readonly DateOnly Day = BookingWorld.FutureDate.AddDays(2);

    [Fact]
    public async Task forty_customers_racing_on_two_hosts_fill_a_three_therapist_slot_exactly_round_after_round()
    {
        await using var second = await ApiFixture.StartHostAsync();              // a second instance, same Redis and PostgreSQL: customers race across two hosts
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 3);
        var customers = await BookingWorld.SignInManyAsync(api.Host, 40);
        var hosts = new[] { api.Host, second };
        var random = new Random(10);
        var live = new List<(TestUser Customer, Guid Booking)>();

        for (var round = 1; round <= 4; round++)
        {
            // Cancel some of the live bookings while the first wave races: their therapists may come free mid-wave. The first
            // winner of that wave releases its hold instead of booking; later waves (holds lapsed) take what is left.
            var cancelling = live.Where(_ => random.Next(2) == 0).ToList();
            live = live.Except(cancelling).ToList();
            for (var wave = 1; ; wave++)
            {
                Assert.True(wave <= 5, $"round {round}: still granting holds after {wave - 1} waves");
                await world.ExpireHoldsAsync(api.Redis, Day);                       // holds of the last wave lapse
                var cancels = wave == 1 ? cancelling.Select(b => Cancel(world, b.Customer, b.Booking)) : [];
                var holds = customers.Select((c, i) => Hold(world, hosts[(i + round) % 2], c)).ToList();
                await Task.WhenAll(cancels);
                var responses = await Task.WhenAll(holds);

                var winners = new List<(TestUser Customer, string Token)>();
                for (var i = 0; i < responses.Length; i++)
                {
                    var response = responses[i];
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var hold = await response.Content.ReadFromJsonAsync<JsonElement>();
                        winners.Add((customers[i], hold.GetProperty("holdToken").GetString()!));
                        continue;
                    }
                    var problem = await response.ProblemAsync(HttpStatusCode.Conflict);          // a 500 fails here
                    Assert.Contains(problem.GetProperty("title").GetString(), new[] { "Slot taken", "Fully booked" });
                }
                foreach (var (c, token) in winners)
                {
                    var host = hosts[random.Next(2)];
                    if (wave == 1 && c == winners[0].Customer)                          // the first winner changes their mind
                    {
                        Assert.Equal(HttpStatusCode.NoContent, (await world.On(host).Client(c).DeleteAsync($"/api/v1/bookings/holds/{token}")).StatusCode);
                        continue;
                    }
                    var booked = await world.On(host).BookAsync(c, token, Guid.NewGuid().ToString());
                    live.Add((c, (await booked.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid()));
                }
                await world.AssertHeldAsync($"round {round}, wave {wave}");
                if (winners.Count == 0 && wave > 1) break;   // a full round: a wave without cancellations found nothing left
            }
            var report = await world.AssertHeldAsync($"round {round}");
            Assert.Equal(3, report.Live);
            Assert.Equal(3, live.Count);
        }
    }

    [Fact]
    public async Task a_seeded_random_sequence_of_600_holds_releases_expiries_creates_cancels_and_dispatches_keeps_the_invariant_at_every_step()
    {
        // Its own host: a dispatch queue of its own, which the sequence drives step by step.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["Bookings:Dispatch:Queue"] = "{dispatch-capacity-" + Guid.NewGuid().ToString("N")[..8] + "}",
        });
        var worker = host.Services.GetRequiredService<DispatchWorker>();
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        var holdsApi = host.Services.GetRequiredService<SlotHolds>();
        var world = await BookingWorld.CreateAsync(host, therapists: 3);
        var customers = await BookingWorld.SignInManyAsync(host, 8);
        for (var i = 0; i < 3; i++)                                               // all live, nearest first: dispatch moves bookings
        {
            // The last of the roster is the nearest: holds reserve the first free, so dispatch has bookings to move.
            await redis.GeoAddAsync(RedisKeys.GeoTherapists, BookingWorld.Longitude, BookingWorld.Latitude + 0.001 * (3 - i), world.Therapists[i].Id.ToString());
            await redis.SortedSetAddAsync(RedisKeys.GeoTherapistsSeen, world.Therapists[i].Id.ToString(), TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
        }
        var random = new Random(20261130);
        var services = new[] { world.Service30, world.Service60, world.Service90 };
        var starts = Enumerable.Range(0, 9).Select(i => new TimeOnly(10, 0).AddMinutes(30 * i).ToString("HH:mm")).ToArray();
        var holds = new List<(TestUser Customer, string Token)>();
        var bookings = new List<(TestUser Customer, Guid Id)>();
        var done = new Dictionary<string, int>();
        void Count(string what) => done[what] = done.GetValueOrDefault(what) + 1;

        for (var step = 1; step <= 600; step++)
        {
            var op = random.Next(100);
            string what;
            if (op < 30 || holds.Count == 0 && op < 60)
            {
                var c = customers[random.Next(customers.Count)];
                var response = await world.HoldAsync(c, services[random.Next(3)], Day, starts[random.Next(starts.Length)]);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var hold = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Assert.Contains(hold.GetProperty("therapistId").GetGuid(), world.Therapists.Select(t => t.Id));
                    holds.Add((c, hold.GetProperty("holdToken").GetString()!));
                    what = "hold";
                }
                else
                {
                    var problem = await response.ProblemAsync(response.StatusCode == HttpStatusCode.TooManyRequests ? HttpStatusCode.TooManyRequests : HttpStatusCode.Conflict);
                    what = "hold refused: " + problem.GetProperty("title").GetString();
                    Assert.Contains(what, new[] { "hold refused: Fully booked", "hold refused: Hold limit" });
                }
            }
            else if (op < 34)
            {
                await world.ExpireHoldsAsync(redis, Day);                               // time passes: every hold lapses
                foreach (var c in customers) await redis.KeyDeleteAsync(RedisKeys.BookingCustomerHolds(c.Id));
                holds.Clear();
                what = "all holds lapse";
            }
            else if (op < 40 && holds.Count > 0)
            {
                var h = holds[random.Next(holds.Count)];
                Assert.Equal(HttpStatusCode.NoContent, (await world.Client(h.Customer).DeleteAsync($"/api/v1/bookings/holds/{h.Token}")).StatusCode);
                holds.Remove(h);
                what = "release";
            }
            else if (op < 50 && holds.Count > 0)
            {
                var h = holds[random.Next(holds.Count)];                            // its TTL ends: every key of it goes
                var hold = (await holdsApi.FindAsync(h.Token))!;
                await redis.KeyDeleteAsync([RedisKeys.BookingHold(hold.VendorId, hold.Date, hold.Id),
                    .. hold.Slots.Select(t => RedisKeys.BookingLock(hold.VendorId, hold.Date, hold.TherapistId, t))]);
                await redis.SortedSetRemoveAsync(RedisKeys.BookingCustomerHolds(h.Customer.Id), hold.Id);
                holds.Remove(h);
                what = "expire";
            }
            else if (op < 70 && holds.Count > 0)
            {
                var h = holds[random.Next(holds.Count)];
                var response = await world.BookAsync(h.Customer, h.Token, Guid.NewGuid().ToString());
                holds.Remove(h);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    bookings.Add((h.Customer, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
                    what = "create";
                }
                else
                {
                    what = "create refused: " + (await response.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("title").GetString();
                    Assert.Contains(what, new[] { "create refused: Pending bookings limit", "create refused: Slot no longer free" });
                    await holdsApi.ReleaseAsync(h.Token, h.Customer.Id);
                }
            }
            else if (op < 78 && bookings.Count > 0)
            {
                var b = bookings[random.Next(bookings.Count)];
                await (await world.PostAsync(random.Next(2) == 0 ? b.Customer : world.Owner, $"/api/v1/bookings/{b.Id}/cancel",
                    new { reason = "random" })).JsonAsync(HttpStatusCode.OK);
                bookings.Remove(b);
                what = "cancel";
            }
            else if (op < 86 && bookings.Count > 0)
            {
                var b = bookings[random.Next(bookings.Count)];
                var response = await world.PostAsync(world.Owner, $"/api/v1/bookings/{b.Id}/confirm");
                what = response.StatusCode == HttpStatusCode.OK ? "confirm" : "confirm refused";
                if (response.StatusCode != HttpStatusCode.OK) await response.ProblemAsync(HttpStatusCode.Conflict);
            }
            else if (op < 94 && bookings.Count > 0)
            {
                await using var conn = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
                var confirmed = (await conn.QueryAsync<Guid>("SELECT id FROM bookings WHERE vendor_id = @VendorId AND status = 'confirmed'", new { world.VendorId })).ToList();
                var pick = confirmed.Count > 0 ? confirmed[random.Next(confirmed.Count)] : (Guid?)null;
                var b = pick is { } p ? bookings.Single(x => x.Id == p) : bookings[random.Next(bookings.Count)];
                var before = await world.QueryAsync<Guid>("SELECT therapist_id FROM bookings WHERE id = @id", new { b.Id });
                var result = await worker.ApplyAsync(b.Id.ToString(), default);
                var after = await world.QueryAsync<Guid>("SELECT therapist_id FROM bookings WHERE id = @id", new { b.Id });
                what = result.Outcome switch
                {
                    DispatchOutcome.Assigned when after != before => "dispatch moved",
                    var o => "dispatch " + o,
                };
            }
            else if (bookings.Count > 0)
            {
                var b = bookings[random.Next(bookings.Count)];
                var therapist = world.Therapists[random.Next(3)];
                var response = await world.PostAsync(world.Owner, $"/api/v1/bookings/{b.Id}/assign", new { therapistId = therapist.Id });
                what = response.StatusCode == HttpStatusCode.OK ? "assign"
                    : "assign refused: " + (await response.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("title").GetString();
            }
            else continue;
            Count(what);
            await world.AssertHeldAsync($"step {step} ({what})");
        }

        // The sequence really exercised every path (a run of refusals only would prove nothing).
        foreach (var path in new[] { "hold", "hold refused: Fully booked", "release", "expire", "create", "cancel", "confirm", "dispatch moved", "assign" })
            Assert.True(done.GetValueOrDefault(path) > 0, $"never did '{path}': {string.Join(", ", done)}");
        Assert.True(done.Values.Sum() >= 500, $"only {done.Values.Sum()} operations");
        output.WriteLine(string.Join(", ", done.OrderBy(d => d.Key)));
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("confirmed")]
    [InlineData("assigned")]
    [InlineData("in_progress")]
    [InlineData("completed")]
    public async Task a_live_booking_in_any_status_excludes_an_overlapping_one_of_its_therapist(string status)
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var at = new DateTimeOffset(Day.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero);
        await world.InsertBookingAsync(status, at, world.Therapist.Id);

        foreach (var other in new[] { "pending", "confirmed", "assigned", "in_progress" })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => world.InsertBookingAsync(other, at.AddMinutes(30), world.Therapist.Id));
            Assert.Equal((PostgresErrorCodes.ExclusionViolation, "bookings_no_therapist_overlap"), (e.SqlState, e.ConstraintName));
        }
        await world.InsertBookingAsync("cancelled", at.AddMinutes(30), world.Therapist.Id);     // not live: no exclusion
        await world.InsertBookingAsync("no_show", at.AddMinutes(30), world.Therapist.Id);
        await world.InsertBookingAsync(status, at.AddMinutes(60), world.Therapist.Id);          // back to back is fine
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("confirmed")]
    [InlineData("assigned")]
    [InlineData("in_progress")]
    public async Task a_live_booking_without_a_therapist_is_refused_by_the_database(string status)
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var at = new DateTimeOffset(Day.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero);

        var e = await Assert.ThrowsAsync<PostgresException>(() => world.InsertBookingAsync(status, at, null));

        Assert.Equal((PostgresErrorCodes.CheckViolation, "bookings_live_has_therapist"), (e.SqlState, e.ConstraintName));
        await world.InsertBookingAsync("cancelled", at, null);
        var id = await world.InsertBookingAsync(status, at, world.Therapist.Id);
        var clear = await Assert.ThrowsAsync<PostgresException>(() => world.QueryAsync<int>(
            "UPDATE bookings SET therapist_id = NULL WHERE id = @id RETURNING 1", new { id }));
        Assert.Equal(PostgresErrorCodes.CheckViolation, clear.SqlState);
    }

    static Task<HttpResponseMessage> Hold(BookingWorld world, IAlbaHost host, TestUser customer) =>
        world.On(host).HoldAsync(customer, world.Service60, Day, "10:00");

    static async Task Cancel(BookingWorld world, TestUser customer, Guid booking) =>
        await (await world.PostAsync(customer, $"/api/v1/bookings/{booking}/cancel", new { reason = "Plans changed" })).JsonAsync(HttpStatusCode.OK);
}
