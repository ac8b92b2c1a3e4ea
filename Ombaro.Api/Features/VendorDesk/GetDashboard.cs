using Ombaro.Api.Features.Bookings;
using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.VendorDesk;

/// <summary>
/// <c>GET /api/v1/vendor/dashboard?vendorId=</c>: the signed-in vendor's day in their own time zone —
/// bookings today by status, revenue today/week/month, utilisation of therapist hours, cancellations
/// and average rating. Cached per vendor and date; every booking change of the vendor bumps it.
/// </summary>
public sealed class GetDashboard : ICarterModule
{
    
    public sealed record Revenue(decimal Today, decimal Week, decimal Month, string Currency);

    /// <summary>Booked minutes today over opening-hours minutes today × active therapists.</summary>
    public sealed record Utilisation(int BookedMinutes, int OpeningMinutes, int ActiveTherapists, int AvailableMinutes, double Ratio);

    public sealed record Cancellations(int Today, int Month, int BookingsMonth, double MonthRate);

    public sealed record Rating(decimal? Average, int Count);

    public sealed record Response(Guid VendorId, string VendorName, DateOnly Date, string TimeZone,
        IReadOnlyDictionary<string, int> BookingsToday, Revenue Revenue, Utilisation Utilisation,
        Cancellations Cancellations, Rating Rating);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorDeskApi()
            .MapGet("/dashboard", Handle)
            .WithName("GetVendorDashboard").WithSummary("Today's bookings by status, revenue, utilisation, cancellations and rating of the caller's vendor.");

    sealed record Vendor(Guid Id, string Name, string TimeZone);

    static async Task<Results<Ok<Response>, NotFoundProblem>> Handle(Guid? vendorId, ClaimsPrincipal user,
        NpgsqlDataSource db, CacheAside cache, TimeProvider clock, CancellationToken ct)
    {
        Vendor? vendor;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            vendor = await conn.QueryFirstOrDefaultAsync<Vendor>(new CommandDefinition("""
                SELECT id, name, time_zone AS TimeZone FROM vendors
                WHERE owner_user_id = @Owner AND (@VendorId::uuid IS NULL OR id = @VendorId)
                ORDER BY created_at, id LIMIT 1
                """, new { Owner = user.UserId(), vendorId }, cancellationToken: ct));
        }
        if (vendor is null)
            return Problems.NotFound("Vendor not found",
                vendorId is null ? "You own no vendor yet." : "You own no vendor with this id.");

        var today = clock.Today(vendor.TimeZone);
        var key = await cache.KeyAsync("vendor-dashboard", DeskCaches.VendorDashboard(vendor.Id), vendor.Id, today.Iso());
        var response = await cache.GetOrLoadAsync("vendor-dashboard", key, DeskCaches.Short, token => LoadAsync(db, vendor, today, token), ct);
        return TypedResults.Ok(response!);
    }

    static async Task<Response?> LoadAsync(NpgsqlDataSource db, Vendor vendor, DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new
        {
            VendorId = vendor.Id, Zone = vendor.TimeZone, Today = today, Tomorrow = today.AddDays(1),
            Week = LocalCalendar.StartOfWeek(today), Month = LocalCalendar.StartOfMonth(today),
            NextMonth = LocalCalendar.StartOfMonth(today).AddMonths(1),
        };
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition("""
            SELECT b.status, count(*)::int AS count
            FROM bookings b
            WHERE b.vendor_id = @VendorId
              AND b.starts_at >= (@Today::timestamp AT TIME ZONE @Zone) AND b.starts_at < (@Tomorrow::timestamp AT TIME ZONE @Zone)
            GROUP BY b.status;

            WITH bounds AS (
                SELECT (@Today::timestamp AT TIME ZONE @Zone) AS today, (@Week::timestamp AT TIME ZONE @Zone) AS week,
                       (@Month::timestamp AT TIME ZONE @Zone) AS month)
            SELECT coalesce(sum(b.price) FILTER (WHERE b.completed_at >= bounds.today), 0) AS today,
                   coalesce(sum(b.price) FILTER (WHERE b.completed_at >= bounds.week), 0) AS week,
                   coalesce(sum(b.price) FILTER (WHERE b.completed_at >= bounds.month), 0) AS month,
                   coalesce(min(b.currency), 'INR') AS currency
            FROM bookings b, bounds
            WHERE b.vendor_id = @VendorId AND b.status = 'completed' AND b.completed_at >= least(bounds.week, bounds.month);

            SELECT coalesce(sum(extract(epoch FROM b.ends_at - b.starts_at) / 60), 0)::int
            FROM bookings b
            WHERE b.vendor_id = @VendorId AND b.status NOT IN ('cancelled', 'no_show')
              AND b.starts_at >= (@Today::timestamp AT TIME ZONE @Zone) AND b.starts_at < (@Tomorrow::timestamp AT TIME ZONE @Zone);

            SELECT coalesce(sum(extract(epoch FROM h.closes - h.opens) / 60), 0)::int
            FROM vendor_opening_hours h
            WHERE h.vendor_id = @VendorId AND h.weekday = extract(dow FROM @Today::date);

            SELECT count(*)::int FROM vendor_therapists WHERE vendor_id = @VendorId AND active;

            SELECT count(*) FILTER (WHERE b.status = 'cancelled')::int AS cancelled, count(*)::int AS total
            FROM bookings b
            WHERE b.vendor_id = @VendorId
              AND b.starts_at >= (@Month::timestamp AT TIME ZONE @Zone) AND b.starts_at < (@NextMonth::timestamp AT TIME ZONE @Zone);

            SELECT round(avg(rating), 2) AS average, count(rating)::int AS count
            FROM bookings WHERE vendor_id = @VendorId AND rating IS NOT NULL;
            """, args, cancellationToken: ct));

        var byStatus = (await results.ReadAsync<(string Status, int Count)>()).ToDictionary(r => r.Status, r => r.Count);
        var revenue = await results.ReadSingleAsync<(decimal Today, decimal Week, decimal Month, string Currency)>();
        var booked = await results.ReadSingleAsync<int>();
        var opening = await results.ReadSingleAsync<int>();
        var therapists = await results.ReadSingleAsync<int>();
        var month = await results.ReadSingleAsync<(int Cancelled, int Total)>();
        var rating = await results.ReadSingleAsync<(decimal? Average, int Count)>();

        var available = opening * therapists;
        var cancelledToday = byStatus.GetValueOrDefault("cancelled");
        return new Response(vendor.Id, vendor.Name, today, vendor.TimeZone,
            BookingStatus.All.ToDictionary(s => s, s => byStatus.GetValueOrDefault(s)),
            new Revenue(revenue.Today, revenue.Week, revenue.Month, revenue.Currency),
            new Utilisation(booked, opening, therapists, available, available == 0 ? 0 : Math.Round((double)booked / available, 4)),
            new Cancellations(cancelledToday, month.Cancelled, month.Total, month.Total == 0 ? 0 : Math.Round((double)month.Cancelled / month.Total, 4)),
            new Rating(rating.Average, rating.Count));
    }
}
