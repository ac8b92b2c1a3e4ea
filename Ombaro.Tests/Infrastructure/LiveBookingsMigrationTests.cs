using Ombaro.Api.Infrastructure.Postgres;

namespace Ombaro.Tests.Infrastructure;

/// <summary>
/// Migration 004 on data written before it: a live booking without a therapist gets the first free therapist of its vendor,
/// or is cancelled when none is free (it was overbooking); completed history is left alone.
/// </summary>
public sealed class LiveBookingsMigrationTests
{
    static string Script()
    {
        using var stream = typeof(Migrator).Assembly.GetManifestResourceStream("migrations.004_live_bookings_hold_a_therapist.sql")!;
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public async Task unassigned_live_bookings_get_a_free_therapist_or_are_cancelled_and_the_constraint_then_holds()
    {
        var (cs, drop) = await TestEnvironment.CreateDatabaseAsync();
        try
        {
            await using var ds = NpgsqlDataSource.Create(cs);
            await new Migrator(ds, NullLogger<Migrator>.Instance).MigrateAsync(default);
            await using var conn = await ds.OpenConnectionAsync();
            await conn.ExecuteAsync("ALTER TABLE bookings DROP CONSTRAINT bookings_live_has_therapist");   // data from before 004
            var ids = await conn.QuerySingleAsync<(Guid Customer, Guid T1, Guid T2, Guid Vendor, Guid Service)>("""
                WITH c AS (INSERT INTO users (mobile, role) VALUES ('+919800000011', 'customer') RETURNING id),
                     t1 AS (INSERT INTO users (mobile, role) VALUES ('+919800000012', 'therapist') RETURNING id),
                     t2 AS (INSERT INTO users (mobile, role) VALUES ('+919800000013', 'therapist') RETURNING id),
                     o AS (INSERT INTO users (mobile, role) VALUES ('+919800000014', 'vendor') RETURNING id),
                     v AS (INSERT INTO vendors (owner_user_id, name, address, city, latitude, longitude, service_types)
                           SELECT id, 'Spa', 'Road 1', 'Bengaluru', 12.97, 77.59, ARRAY['spa'] FROM o RETURNING id),
                     s AS (INSERT INTO services (vendor_id, name, service_type, price, duration_minutes)
                           SELECT id, 'Spa 60', 'spa', 1500, 60 FROM v RETURNING id)
                SELECT (SELECT id FROM c), (SELECT id FROM t1), (SELECT id FROM t2), (SELECT id FROM v), (SELECT id FROM s)
                """);
            await conn.ExecuteAsync("""
                INSERT INTO vendor_therapists (vendor_id, therapist_id, joined_at) VALUES (@Vendor, @T1, now() - interval '2 days'), (@Vendor, @T2, now() - interval '1 day')
                """, new { ids.Vendor, ids.T1, ids.T2 });
            var start = new DateTime(2030, 1, 1, 10, 0, 0, DateTimeKind.Utc);
            async Task<Guid> Booking(Guid? therapist, string status, DateTime at) => await conn.ExecuteScalarAsync<Guid>("""
                INSERT INTO bookings (customer_id, vendor_id, service_id, therapist_id, status, starts_at, ends_at, address, price)
                VALUES (@Customer, @Vendor, @Service, @therapist, @status, @at, @at + interval '60 minutes', 'Home', 1500) RETURNING id
                """, new { ids.Customer, ids.Vendor, ids.Service, therapist, status, at });
            var booked = await Booking(ids.T1, "assigned", start);                  // T1 busy at 10:00
            var getsT2 = await Booking(null, "confirmed", start);                  // T2 is free: fixed
            var overbooked = await Booking(null, "pending", start.AddMinutes(30)); // nobody free at 10:30: cancelled
            var getsT1 = await Booking(null, "pending", start.AddHours(3));        // both free later: the first of the roster
            var history = await Booking(null, "completed", start.AddDays(-400));   // left alone

            await conn.ExecuteAsync(Script());

            var rows = (await conn.QueryAsync<(Guid Id, Guid? Therapist, string Status, string? Reason)>(
                "SELECT id, therapist_id, status, cancel_reason FROM bookings")).ToDictionary(r => r.Id);
            Assert.Equal((ids.T1, "assigned"), (rows[booked].Therapist!.Value, rows[booked].Status));
            Assert.Equal((ids.T2, "confirmed"), (rows[getsT2].Therapist!.Value, rows[getsT2].Status));
            Assert.Equal((null, "cancelled"), (rows[overbooked].Therapist, rows[overbooked].Status));
            Assert.Contains("migration 004", rows[overbooked].Reason);
            Assert.Equal((ids.T1, "pending"), (rows[getsT1].Therapist!.Value, rows[getsT1].Status));
            Assert.Equal((null, "completed"), (rows[history].Therapist, rows[history].Status));
            var e = await Assert.ThrowsAsync<PostgresException>(() => Booking(null, "pending", start.AddHours(6)));
            Assert.Equal("bookings_live_has_therapist", e.ConstraintName);
        }
        finally { await drop(); }
    }
}
