namespace Ombaro.Api.Features.Therapists;

/// <summary>
/// <c>PUT /api/v1/therapists/me/location</c>: a therapist's GPS fix. One Lua script stores the fix hash (TTL 5 min),
/// the geo set and the last-seen time together; nothing is written to PostgreSQL.
/// </summary>
public sealed class UpdateLocation : ICarterModule
{
    static readonly RedisScript Store = RedisScript.Named("therapist_location");

    public sealed record Request(double Latitude, double Longitude, double Accuracy, DateTimeOffset Timestamp);

    public sealed record Response(double Latitude, double Longitude, double Accuracy, DateTimeOffset Timestamp);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(r => r.Latitude).InclusiveBetween(-InputRules.MaxGeoLatitude, InputRules.MaxGeoLatitude);
            RuleFor(r => r.Longitude).InclusiveBetween(-180, 180);
            RuleFor(r => r.Accuracy).InclusiveBetween(0, 10_000);
            RuleFor(r => r.Timestamp).NotEmpty()
                .Must(t => t <= clock.GetUtcNow() + LiveLocations.FutureSkew)
                .WithMessage($"The fix is timestamped in the future (more than {LiveLocations.FutureSkew.TotalSeconds:0} s ahead of the server).");
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTherapistsApi().MapPut("/me/location", Handle).RequireAuthorization(Roles.Therapist).Validate<Request>()
            .WithName("UpdateTherapistLocation").WithSummary("Stores the signed-in therapist's latest location fix (at most one a second).");

    static async Task<Results<Ok<Response>, ValidationProblem, ConflictProblem, TooManyRequestsProblem>> Handle(
        Request request, ClaimsPrincipal user, HttpContext http, RedisConnections redis, CancellationToken ct)
    {
        var id = user.UserId();
        var member = id.ToString();
        var result = (RedisResult[])(await Store.EvaluateAsync(redis.StateDb,
            [RedisKeys.TherapistLocation(id), RedisKeys.GeoTherapists, RedisKeys.GeoTherapistsSeen],
            [
                request.Latitude, request.Longitude, request.Accuracy, request.Timestamp.ToUnixTimeMilliseconds(),
                (long)LiveLocations.LiveWindow.TotalMilliseconds,
                (long)LiveLocations.MinInterval.TotalMilliseconds, member,
            ]))!;
        var stored = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)result[1]!, CultureInfo.InvariantCulture));
        return (int)result[0] switch
        {
            -2 => Problems.Conflict("Out-of-order location fix",
                $"A fix timestamped {stored:O} is already stored; this one ({request.Timestamp:O}) is not newer."),
            -1 => TooSoon(http),
            _ => TypedResults.Ok(new Response(request.Latitude, request.Longitude, request.Accuracy, request.Timestamp)),
        };
    }

    static TooManyRequestsProblem TooSoon(HttpContext http)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(LiveLocations.MinInterval.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.TooManyRequests("Too many location updates",
            $"At most one location update per {LiveLocations.MinInterval.TotalSeconds:0} s.");
    }
}
