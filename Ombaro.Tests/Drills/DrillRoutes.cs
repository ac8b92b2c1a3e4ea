using System.Net;
using System.Net.Http.Json;
using Ombaro.Api.Infrastructure.Auth;

namespace Ombaro.Tests.Drills;

/// <summary>A backing part the API can lose.</summary>
[Flags]
public enum Part
{
    None = 0,
    RedisState = 1,
    RedisCache = 2,
    Postgres = 4,
}

/// <summary>
/// One route the outage drills call during traffic. <see cref="Needs"/>: without these parts the route
/// must answer 503 (a problem document); with all of them it must answer 2xx. <see cref="MayNeed"/>:
/// without these either is fine (a cached read that hits answers 200 with PostgreSQL away, a miss 503).
/// Whatever is down, no route ever answers 500.
/// </summary>
public sealed record DrillRoute(string Method, string Path, string? Role, Part Needs, Part MayNeed = Part.None, object? Body = null)
{
    public HttpRequestMessage Request(string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (Body is not null) request.Content = JsonContent.Create(Body);
        return request;
    }

    /// <summary>What the route must answer while <paramref name="down"/> is away: null when it passes.</summary>
    public string? Check(Part down, HttpStatusCode status, string? contentType)
    {
        var code = (int)status;
        if (code == 500) return $"{this}: 500 while {down} was down";
        if ((Needs & down) != 0)
            return code == 503 && contentType == "application/problem+json" ? null : $"{this}: {code} ({contentType}) while {down} was down, expected a 503 problem";
        if ((MayNeed & down) != 0)
            return code is >= 200 and < 300 || (code == 503 && contentType == "application/problem+json") ? null : $"{this}: {code} while {down} was down";
        return code is >= 200 and < 300 ? null : $"{this}: {code} ({contentType}) while {down} was down, expected 2xx";
    }

    public override string ToString() => $"{Method} {Path} as {Role ?? "anonymous"}";
}

public static class DrillRoutes
{
    /// <summary>
    /// Every route the drills exercise. Add one line per route as areas land (public cached reads with
    /// MayNeed = Postgres, rate-limited routes, location updates, holds, bookings, attendance...).
    /// Every authenticated route needs the state Redis (the session lives there).
    /// </summary>
    public static readonly IReadOnlyList<DrillRoute> All =
    [
        new("GET", "/health/live", null, Part.None),
        new("GET", "/ops", null, Part.None),
        new("GET", "/api/v1/auth/me", Roles.Customer, Part.RedisState, MayNeed: Part.Postgres),   // the user snapshot is cached
        new("GET", "/api/v1/auth/me", Roles.Therapist, Part.RedisState, MayNeed: Part.Postgres),
        new("GET", "/api/v1/admin/ops/redis", Roles.Admin, Part.RedisState),
    ];
}
