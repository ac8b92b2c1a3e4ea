using Ombaro.Api.Features.Bookings;

namespace Ombaro.Tests.Support;

public sealed record TestVendor(Guid Id, Guid ServiceId, Guid OwnerId, string City, string TimeZone);

/// <summary>
/// Rows of a test's own, written straight to PostgreSQL (vendors, roster, bookings, attendance), for
/// the aggregates to be checked against direct SQL over them.
/// </summary>
public static class DeskData
{
    public static NpgsqlDataSource Db(this IAlbaHost host) => host.Services.GetRequiredService<NpgsqlDataSource>();

    public static string NewCity() => "Testville-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A user without a session (customers of bookings, therapists of a roster).</summary>
    public static async Task<Guid> UserAsync(this IAlbaHost host, string role, string? name = null)
    {
        await using var conn = await host.Db().OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<Guid>("INSERT INTO users (mobile, role, name) VALUES (@mobile, @role, @name) RETURNING id",
            new { mobile = Users.NewMobile(), role, name = name ?? role });
    }

    /// <summary>An active vendor open 09:00–21:00 every day, with one 60-minute service.</summary>
    public static async Task<TestVendor> VendorAsync(this IAlbaHost host, Guid ownerId, string? city = null, string timeZone = "Asia/Kolkata")
    {
        city ??= NewCity();
        await using var conn = await host.Db().OpenConnectionAsync();
        var id = await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO vendors (owner_user_id, name, address, city, latitude, longitude, service_types, time_zone, status)
            VALUES (@ownerId, 'Vendor ' || @city, '1 Test Road', @city, 12.97, 77.59, ARRAY['massage'], @timeZone, 'active') RETURNING id
            """, new { ownerId, city, timeZone });
        await conn.ExecuteAsync("INSERT INTO vendor_opening_hours (vendor_id, weekday, opens, closes) SELECT @id, d, '09:00', '21:00' FROM generate_series(0, 6) d", new { id });
        var service = await conn.ExecuteScalarAsync<Guid>(
            "INSERT INTO services (vendor_id, name, service_type, price, duration_minutes) VALUES (@id, 'Massage', 'massage', 1500, 60) RETURNING id", new { id });
        return new TestVendor(id, service, ownerId, city, timeZone);
    }

    public static async Task LinkTherapistAsync(this IAlbaHost host, Guid vendorId, Guid therapistId, bool active = true)
    {
        await using var conn = await host.Db().OpenConnectionAsync();
        await conn.ExecuteAsync("INSERT INTO vendor_therapists (vendor_id, therapist_id, active) VALUES (@vendorId, @therapistId, @active)",
            new { vendorId, therapistId, active });
    }

    public static async Task<Guid> BookingAsync(this IAlbaHost host, TestVendor vendor, Guid customerId, Guid? therapistId, string status,
        decimal price, DateTimeOffset startsAt, int minutes = 60, DateTimeOffset? completedAt = null, int? rating = null)
    {
        await using var conn = await host.Db().OpenConnectionAsync();
        // A live unfinished booking always holds a therapist's time (constraint bookings_live_has_therapist): a stand-in one.
        if (therapistId is null && status is "pending" or "confirmed" or "assigned" or "in_progress")
            therapistId = await conn.ExecuteScalarAsync<Guid>("INSERT INTO users (mobile, role) VALUES (@mobile, 'therapist') RETURNING id",
                new { mobile = Users.NewMobile() });
        return await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO bookings (customer_id, vendor_id, service_id, therapist_id, status, starts_at, ends_at, address, price, completed_at, rating)
            VALUES (@customerId, @VendorId, @ServiceId, @therapistId, @status, @startsAt, @endsAt, 'Test address', @price, @completedAt, @rating)
            RETURNING id
            """, new
        {
            customerId, VendorId = vendor.Id, vendor.ServiceId, therapistId, status, startsAt = startsAt.UtcDateTime,
            endsAt = startsAt.AddMinutes(minutes).UtcDateTime, price, completedAt = completedAt?.UtcDateTime, rating,
        });
    }

    public static async Task PublishAsync(this IAlbaHost host, BookingChange change)
    {
        foreach (var listener in host.Services.GetServices<IBookingChangeListener>()) await listener.OnBookingChangedAsync(change, default);
    }

    public static DateTimeOffset Now(this IAlbaHost host) => host.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>Local noon of today in <paramref name="zone"/>, as an instant.</summary>
    public static DateTimeOffset LocalNoonToday(this IAlbaHost host, string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = TimeZoneInfo.ConvertTime(host.Now(), tz);
        var noon = new DateTime(local.Year, local.Month, local.Day, 12, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(noon, tz.GetUtcOffset(noon));
    }

    public static async Task<T> ScalarAsync<T>(this IAlbaHost host, string sql, object? args = null)
    {
        await using var conn = await host.Db().OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<T>(sql, args))!;
    }
}
