using Ombaro.Api.Infrastructure.Postgres;

namespace Ombaro.Tests.Infrastructure;

public sealed class MigrationTests
{
    static Migrator MigratorFor(NpgsqlDataSource ds) => new(ds, NullLogger<Migrator>.Instance);

    static Task<IEnumerable<string>> SchemaAsync(NpgsqlConnection conn) => conn.QueryAsync<string>("""
        SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY 1
        """);

    [Fact]
    public async Task migrations_apply_once_and_a_second_run_changes_nothing()
    {
        var (cs, drop) = await TestEnvironment.CreateDatabaseAsync();
        try
        {
            await using var ds = NpgsqlDataSource.Create(cs);
            var first = await MigratorFor(ds).MigrateAsync(default);
            await using var conn = await ds.OpenConnectionAsync();
            var schema = (await SchemaAsync(conn)).ToList();

            var second = await MigratorFor(ds).MigrateAsync(default);

            Assert.Equal(Migrator.Embedded.Select(m => m.Version), first);
            Assert.Empty(second);
            Assert.Equal(schema, await SchemaAsync(conn));
            Assert.Equal(Migrator.Embedded.Count, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        }
        finally { await drop(); }
    }

    [Fact]
    public async Task two_instances_migrating_at_the_same_moment_both_succeed()
    {
        var (cs, drop) = await TestEnvironment.CreateDatabaseAsync();
        try
        {
            await using var a = NpgsqlDataSource.Create(cs);
            await using var b = NpgsqlDataSource.Create(cs);
            var results = await Task.WhenAll(
                Task.Run(() => MigratorFor(a).MigrateAsync(default)),
                Task.Run(() => MigratorFor(b).MigrateAsync(default)));

            // Exactly one of them applied each migration; the other found them done.
            Assert.Equal(Migrator.Embedded.Select(m => m.Version), results.SelectMany(r => r).Order());
            await using var conn = await a.OpenConnectionAsync();
            Assert.Equal(Migrator.Embedded.Count, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        }
        finally { await drop(); }
    }

    [Fact]
    public async Task the_exclusion_constraint_rejects_an_overlapping_booking_of_one_therapist()
    {
        var (cs, drop) = await TestEnvironment.CreateDatabaseAsync();
        try
        {
            await using var ds = NpgsqlDataSource.Create(cs);
            await MigratorFor(ds).MigrateAsync(default);
            await using var conn = await ds.OpenConnectionAsync();
            var ids = await conn.QuerySingleAsync<(Guid Customer, Guid Therapist, Guid Vendor, Guid Service)>("""
                WITH c AS (INSERT INTO users (mobile, role) VALUES ('+919800000001', 'customer') RETURNING id),
                     t AS (INSERT INTO users (mobile, role) VALUES ('+919800000002', 'therapist') RETURNING id),
                     o AS (INSERT INTO users (mobile, role) VALUES ('+919800000003', 'vendor') RETURNING id),
                     v AS (INSERT INTO vendors (owner_user_id, name, address, city, latitude, longitude, service_types)
                           SELECT id, 'Spa', 'Road 1', 'Bengaluru', 12.97, 77.59, ARRAY['spa'] FROM o RETURNING id),
                     s AS (INSERT INTO services (vendor_id, name, service_type, price, duration_minutes)
                           SELECT id, 'Spa 60', 'spa', 1500, 60 FROM v RETURNING id)
                SELECT (SELECT id FROM c), (SELECT id FROM t), (SELECT id FROM v), (SELECT id FROM s)
                """);
            const string insert = """
                INSERT INTO bookings (customer_id, vendor_id, service_id, therapist_id, status, starts_at, ends_at, address, price)
                VALUES (@Customer, @Vendor, @Service, @Therapist, @Status, @Start, @Start + interval '60 minutes', 'Home', 1500)
                """;
            var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
            object Booking(DateTimeOffset at, string status = "confirmed") =>
                new { ids.Customer, ids.Vendor, ids.Service, ids.Therapist, Status = status, Start = at };

            await conn.ExecuteAsync(insert, Booking(start));
            var overlap = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(insert, Booking(start.AddMinutes(30))));
            Assert.Equal(PostgresErrorCodes.ExclusionViolation, overlap.SqlState);

            // Back to back is fine, and a cancelled booking no longer holds its time.
            await conn.ExecuteAsync(insert, Booking(start.AddMinutes(60)));
            await conn.ExecuteAsync("UPDATE bookings SET status = 'cancelled' WHERE starts_at = @start", new { start });
            await conn.ExecuteAsync(insert, Booking(start.AddMinutes(-30)));
        }
        finally { await drop(); }
    }
}
