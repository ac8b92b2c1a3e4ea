using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Admin;

/// <summary>
/// <c>GET /api/v1/admin/revenue?from&amp;to&amp;groupBy=day|vendor|city</c>: completed bookings and their
/// revenue by completion date in the platform zone (<c>Reporting:TimeZone</c>). Defaults to the last 30
/// days by day; at most 366 days. Cached under the <c>admin-revenue</c> generation, bumped whenever a
/// booking becomes (or stops being) completed.
/// </summary>
public sealed class GetRevenue : ICarterModule
{
    public const int MaxDays = 366;
    public static readonly IReadOnlyList<string> Groupings = ["day", "vendor", "city"];

    public sealed record Query(DateOnly? From, DateOnly? To, string? GroupBy);

    /// <summary>Key: the date (yyyy-MM-dd), vendor id or city; label: the same, or the vendor's name.</summary>
    public sealed record Row(string Key, string Label, int Bookings, decimal Revenue);

    public sealed record Response(DateOnly From, DateOnly To, string GroupBy, string TimeZone, string Currency,
        int Bookings, decimal Revenue, IReadOnlyList<Row> Rows);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.GroupBy).Must(g => g is null || Groupings.Contains(g))
            .WithMessage("groupBy must be day, vendor or city.");
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAdminApi()
            .MapGet("/revenue", Handle).Validate<Query>()
            .WithName("GetRevenue").WithSummary("Revenue of completed bookings in a date range, grouped by day, vendor or city.");

    static async Task<Results<Ok<Response>, ValidationProblem>> Handle([AsParameters] Query query, NpgsqlDataSource db, CacheAside cache,
        IOptions<ReportingOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var zone = options.Value.TimeZone;
        var (from, to, invalid) = Ranges.Dates(query.From, query.To, clock.Today(zone), defaultDays: 30, MaxDays);
        if (invalid is not null) return invalid;
        var groupBy = query.GroupBy ?? "day";

        var key = await cache.KeyAsync("admin-revenue", DeskCaches.AdminRevenue, groupBy, from.Iso(), to.Iso());
        var response = await cache.GetOrLoadAsync("admin-revenue", key, DeskCaches.Long, async token =>
        {
            var (group, label) = groupBy switch
            {
                "vendor" => ("v.id::text", "v.name"),
                "city" => ("v.city", "v.city"),
                _ => ("to_char((b.completed_at AT TIME ZONE @Zone)::date, 'YYYY-MM-DD')", "to_char((b.completed_at AT TIME ZONE @Zone)::date, 'YYYY-MM-DD')"),
            };
            await using var conn = await db.OpenConnectionAsync(token);
            var rows = (await conn.QueryAsync<Row>(new CommandDefinition($"""
                SELECT {group} AS key, min({label}) AS label, count(*)::int AS bookings, sum(b.price) AS revenue
                FROM bookings b JOIN vendors v ON v.id = b.vendor_id
                WHERE b.status = 'completed'
                  AND b.completed_at >= (@From::timestamp AT TIME ZONE @Zone) AND b.completed_at < (@Until::timestamp AT TIME ZONE @Zone)
                GROUP BY 1
                ORDER BY 4 DESC, 1
                """, new { Zone = zone, From = from, Until = to.AddDays(1) }, cancellationToken: token))).ToList();
            if (groupBy == "day") rows = FillDays(from, to, rows);
            return new Response(from, to, groupBy, zone, "INR", rows.Sum(r => r.Bookings), rows.Sum(r => r.Revenue), rows);
        }, ct);
        return TypedResults.Ok(response!);
    }

    /// <summary>One row per day of the range, in date order, zero where nothing completed.</summary>
    static List<Row> FillDays(DateOnly from, DateOnly to, List<Row> rows)
    {
        var byDay = rows.ToDictionary(r => r.Key);
        return LocalCalendar.Days(from, to).Select(d => d.Iso())
            .Select(d => byDay.GetValueOrDefault(d) ?? new Row(d, d, 0, 0)).ToList();
    }
}
