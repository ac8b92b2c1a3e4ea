using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Therapists;

/// <summary>
/// <c>GET /api/v1/therapists/me/earnings?period=day|week|month</c>: the signed-in therapist's completed
/// bookings in the current period of their vendor's time zone, their share of each price (the
/// <c>Earnings</c> commission rules), totals and one entry per day. Cached per therapist; a booking
/// change bumps the therapist's generation.
/// </summary>
public sealed class GetEarnings : ICarterModule
{
    public static readonly IReadOnlyList<string> Periods = ["day", "week", "month"];

    public sealed record Query(string? Period);

    public sealed record Day(DateOnly Date, int Bookings, decimal Gross, decimal Earnings);

    public sealed record Response(string Period, DateOnly From, DateOnly To, string TimeZone, string Currency,
        int Bookings, decimal Gross, decimal Earnings, IReadOnlyList<Day> Series);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Period)
            .Must(p => p is null || Periods.Contains(p)).WithMessage("period must be day, week or month.");
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTherapistsApi().RequireAuthorization(Roles.Therapist)
            .MapGet("/me/earnings", Handle).Validate<Query>()
            .WithName("GetMyEarnings").WithSummary("The therapist's earnings for the current day, week or month, with a per-day series.");

    sealed record Completed(Guid VendorId, decimal Price, string Currency, DateOnly Day);

    static async Task<Ok<Response>> Handle([AsParameters] Query query, ClaimsPrincipal user, NpgsqlDataSource db,
        CacheAside cache, IOptions<EarningsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var therapistId = user.UserId();
        var period = query.Period ?? "week";
        var zone = await TimeZoneOf(therapistId, db, ct) ?? options.Value.DefaultTimeZone;
        var (from, to) = PeriodOf(period, clock.Today(zone));
        var key = await cache.KeyAsync("earnings", DeskCaches.Earnings(therapistId), therapistId, period, from.Iso());
        var response = await cache.GetOrLoadAsync("earnings", key, DeskCaches.Long, async token =>
        {
            await using var conn = await db.OpenConnectionAsync(token);
            var rows = (await conn.QueryAsync<Completed>(new CommandDefinition("""
                SELECT vendor_id AS VendorId, price, currency, (completed_at AT TIME ZONE @Zone)::date AS day
                FROM bookings
                WHERE therapist_id = @TherapistId AND status = 'completed'
                  AND completed_at >= (@From::timestamp AT TIME ZONE @Zone)
                  AND completed_at < (@Until::timestamp AT TIME ZONE @Zone)
                """, new { therapistId, Zone = zone, From = from, Until = to.AddDays(1) }, cancellationToken: token))).ToList();
            return Summarise(period, from, to, zone, rows, options.Value);
        }, ct);
        return TypedResults.Ok(response!);
    }

    static Response Summarise(string period, DateOnly from, DateOnly to, string zone, List<Completed> rows, EarningsOptions rules)
    {
        var earned = rows.Select(r => (r.Day, r.Price,
            Earnings: Math.Round(r.Price * rules.ShareFor(r.VendorId), 2, MidpointRounding.AwayFromZero))).ToList();
        var series = LocalCalendar.Days(from, to).Select(d =>
        {
            var day = earned.Where(e => e.Day == d).ToList();
            return new Day(d, day.Count, day.Sum(e => e.Price), day.Sum(e => e.Earnings));
        }).ToList();
        return new Response(period, from, to, zone, rows.FirstOrDefault()?.Currency ?? "INR",
            earned.Count, earned.Sum(e => e.Price), earned.Sum(e => e.Earnings), series);
    }

    internal static (DateOnly From, DateOnly To) PeriodOf(string period, DateOnly today) => period switch
    {
        "day" => (today, today),
        "week" => (LocalCalendar.StartOfWeek(today), LocalCalendar.StartOfWeek(today).AddDays(6)),
        _ => (LocalCalendar.StartOfMonth(today), LocalCalendar.StartOfMonth(today).AddMonths(1).AddDays(-1)),
    };

    /// <summary>The therapist's days follow the time zone of the vendor they work for.</summary>
    static async Task<string?> TimeZoneOf(Guid therapistId, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition("""
            SELECT v.time_zone FROM vendor_therapists vt JOIN vendors v ON v.id = vt.vendor_id
            WHERE vt.therapist_id = @therapistId AND vt.active
            """, new { therapistId }, cancellationToken: ct));
    }
}
