using Ombaro.Api.Features.Bookings;

namespace Ombaro.Api.Features.Therapists;

/// <summary>
/// <c>GET /api/v1/therapists/{id}/location</c>: the latest fix (under 5 minutes old). Visible to the therapist, their
/// vendor, admins, and a customer whose booking the therapist serves (confirmed, assigned or in progress) from
/// <c>Bookings:LocationWindow</c> (60 min) before its start until it completes or is cancelled; to everyone else the
/// therapist's location does not exist (404).
/// </summary>
public sealed class GetTherapistLocation : ICarterModule
{
    public sealed record Response(Guid TherapistId, double Latitude, double Longitude, double Accuracy, DateTimeOffset Timestamp, DateTimeOffset ReceivedAt);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTherapistsApi().MapGet("/{id:guid}/location", Handle).RequireAuthorization()
            .WithName("GetTherapistLocation").WithSummary("A therapist's latest location, for those allowed to follow them.");

    static async Task<Results<Ok<Response>, NotFound>> Handle(
        Guid id, ClaimsPrincipal user, RedisConnections redis, NpgsqlDataSource db, IOptions<BookingOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        if (!await MayFollowAsync(user, id, db, clock.GetUtcNow() + options.Value.LocationWindow, ct)) return TypedResults.NotFound();
        var fix = (await redis.StateDb.HashGetAllAsync(RedisKeys.TherapistLocation(id))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        if (!fix.TryGetValue("lat", out var lat)) return TypedResults.NotFound();
        return TypedResults.Ok(new Response(id, Number(lat), Number(fix["lng"]), Number(fix["accuracy"]),
            DateTimeOffset.FromUnixTimeMilliseconds((long)Number(fix["timestamp"])), DateTimeOffset.FromUnixTimeMilliseconds((long)Number(fix["received"]))));
    }

    /// <param name="startsBy">a customer's booking must start by then (now + the location window)</param>
    static async Task<bool> MayFollowAsync(ClaimsPrincipal user, Guid therapistId, NpgsqlDataSource db, DateTimeOffset startsBy, CancellationToken ct)
    {
        var caller = user.UserId();
        if (caller == therapistId || user.IsInRole(Roles.Admin)) return true;
        if (!user.IsInRole(Roles.Vendor) && !user.IsInRole(Roles.Customer)) return false;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT CASE WHEN @vendor THEN EXISTS (
                       SELECT 1 FROM vendor_therapists vt JOIN vendors v ON v.id = vt.vendor_id
                       WHERE vt.therapist_id = @therapistId AND vt.active AND v.owner_user_id = @caller)
                   ELSE EXISTS (
                       SELECT 1 FROM bookings
                       WHERE therapist_id = @therapistId AND customer_id = @caller AND status IN ('confirmed', 'assigned', 'in_progress')
                         AND starts_at <= @startsBy)
                   END
            """, new { vendor = user.IsInRole(Roles.Vendor), therapistId, caller, startsBy }, cancellationToken: ct));
    }

    static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
