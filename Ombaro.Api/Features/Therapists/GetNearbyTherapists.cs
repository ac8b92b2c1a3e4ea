namespace Ombaro.Api.Features.Therapists;

/// <summary>
/// <c>GET /api/v1/therapists/nearby?lat&amp;lng&amp;radiusKm</c>: therapists seen in the last 5 minutes near a point,
/// nearest first; a vendor sees its own therapists, an admin everyone. Stale members are pruned in the same script.
/// </summary>
public sealed class GetNearbyTherapists : ICarterModule
{
    static readonly RedisScript Nearby = RedisScript.Named("therapists_nearby");
    const int MaxResults = 100;
    const int SearchCount = 1000;

    public sealed record Request(double? Lat, double? Lng, double? RadiusKm);

    public sealed record Result(Guid TherapistId, string? Name, double Latitude, double Longitude, double DistanceKm, DateTimeOffset LastSeenAt);

    public sealed record Response(IReadOnlyList<Result> Therapists);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Lat).NotNull().InclusiveBetween(-InputRules.MaxGeoLatitude, InputRules.MaxGeoLatitude);
            RuleFor(r => r.Lng).NotNull().InclusiveBetween(-180, 180);
            RuleFor(r => r.RadiusKm).InclusiveBetween(0.1, 50);
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTherapistsApi().MapGet("/nearby", Handle).RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin))
            .Validate<Request>()
            .WithName("GetNearbyTherapists").WithSummary("Live therapists near a point: a vendor's own, or all for an admin.");

    static async Task<Results<Ok<Response>, ValidationProblem>> Handle(
        [AsParameters] Request request, ClaimsPrincipal user, RedisConnections redis, NpgsqlDataSource db, TimeProvider clock,
        CancellationToken ct)
    {
        var cutoff = (clock.GetUtcNow() - LiveLocations.LiveWindow).ToUnixTimeMilliseconds();
        var result = (RedisResult[])(await Nearby.EvaluateAsync(redis.StateDb, [RedisKeys.GeoTherapists, RedisKeys.GeoTherapistsSeen],
            [cutoff, request.Lng!.Value, request.Lat!.Value, request.RadiusKm ?? 5, SearchCount]))!;
        var found = ((RedisResult[])result[1]!).Select(r => (RedisResult[])r!).Select(r => (
            Id: Guid.Parse((string)r[0]!), Km: Number(r[1]), Lng: Number(r[2]), Lat: Number(r[3]), SeenMs: (long)Number(r[4])))
            .Where(r => r.SeenMs >= cutoff)
            .ToList();

        await using var conn = await db.OpenConnectionAsync(ct);
        var names = (await conn.QueryAsync<(Guid Id, string? Name)>(new CommandDefinition("""
            SELECT u.id, u.name FROM users u
            WHERE u.id = ANY(@ids) AND (@admin OR EXISTS (
                SELECT 1 FROM vendor_therapists vt JOIN vendors v ON v.id = vt.vendor_id
                WHERE vt.therapist_id = u.id AND vt.active AND v.owner_user_id = @caller))
            """, new { ids = found.Select(f => f.Id).ToArray(), admin = user.IsInRole(Roles.Admin), caller = user.UserId() },
            cancellationToken: ct))).ToDictionary(n => n.Id, n => n.Name);

        return TypedResults.Ok(new Response(found.Where(f => names.ContainsKey(f.Id)).Take(MaxResults)
            .Select(f => new Result(f.Id, names[f.Id], f.Lat, f.Lng, Math.Round(f.Km, 3), DateTimeOffset.FromUnixTimeMilliseconds(f.SeenMs)))
            .ToList()));
    }

    static double Number(RedisResult r) => double.Parse((string)r!, CultureInfo.InvariantCulture);
}
